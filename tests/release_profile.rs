//! The release build optimises the CPU training path for speed and everything else for size
//! (Cargo.toml, `[profile.release.package]`; docs/performance.md). `cargo remove` once dropped
//! these overrides without a word (they name crates the manifest does not depend on directly),
//! and the engine trained 20% slower: this keeps them.

/// The crates on the CPU training path: burn's flex backend and its matrix products,
/// autodiff, tensors, modules, optimizers and the dispatch that instantiates them.
const FOR_SPEED: &[&str] = &[
    "burn-flex",
    "burn-autodiff",
    "burn-backend",
    "burn-dispatch",
    "burn-tensor",
    "burn-core",
    "burn-nn",
    "burn-optim",
    "gemm",
    "gemm-f32",
    "macerator",
    "pulp",
];

#[test]
fn the_training_path_is_optimised_for_speed() {
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).expect("Cargo.toml");
    let section = manifest
        .split("[profile.release.package]\n")
        .nth(1)
        .expect("a [profile.release.package] section")
        .split("\n[")
        .next()
        .unwrap_or_default();
    let missing: Vec<&str> = FOR_SPEED
        .iter()
        .copied()
        .filter(|name| !section.lines().any(|line| line.trim() == format!("{name} = {{ opt-level = 3 }}")))
        .collect();
    assert!(missing.is_empty(), "[profile.release.package] lacks opt-level = 3 for {missing:?}");
    assert!(
        manifest.contains("[profile.release.package.\"*\"]\nopt-level = \"z\""),
        "the rest optimised for size"
    );
}
