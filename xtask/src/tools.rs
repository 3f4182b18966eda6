//! Finding and installing the tools the tasks need, at pinned versions, from the package
//! registries only (crates.io, npm, Debian): trunk, wasm-bindgen-cli, cargo-deny, the wasm32
//! target, wasm-opt and playwright-core from npm, Chromium and ChromeDriver from apt.
//!
//! A first run installs what is missing and says so, with the installer's own progress.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::{command, root, step};

const TRUNK_VERSION: &str = "0.22.1";
const CARGO_DENY_VERSION: &str = "0.20.2";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The tools, installed; hands out commands with the right `PATH` and environment.
pub struct Toolbox {
    path: String,
}

impl Toolbox {
    /// What `trunk serve` and `trunk build` need.
    pub fn ensure_build_tools() -> Result<Self, String> {
        let toolbox = Self::new();
        toolbox.ensure_wasm_target()?;
        toolbox.ensure_wasm_bindgen()?;
        toolbox.ensure_trunk()?;
        toolbox.ensure_npm_tools()?;
        Ok(toolbox)
    }

    /// Everything `cargo xtask test` needs: the build tools plus Chromium and ChromeDriver.
    pub fn ensure_test_tools() -> Result<Self, String> {
        let toolbox = Self::ensure_build_tools()?;
        toolbox.ensure_chromium()?;
        toolbox.ensure_cargo_deny()?;
        Ok(toolbox)
    }

    pub fn new() -> Self {
        let cargo_bin = cargo_home().join("bin");
        let npm_bin = root().join("xtask/node_modules/.bin");
        let inherited = std::env::var("PATH").unwrap_or_default();
        Self { path: format!("{}:{}:{inherited}", npm_bin.display(), cargo_bin.display()) }
    }

    /// A command in the repository root that finds the installed tools first on `PATH`.
    pub fn command(&self, program: &str) -> Command {
        let mut command = command(program);
        command.env("PATH", &self.path);
        command
    }

    /// `cargo test --target wasm32-unknown-unknown`, set up to run in headless Chromium.
    pub fn browser_test_command(&self) -> Command {
        let mut command = self.command("cargo");
        command
            .args(["test", "--package", "kindling", "--target", "wasm32-unknown-unknown"])
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "300")
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", root().join("tests/webdriver.json"));
        command
    }

    /// Runs `command` to completion with inherited output.
    pub fn run(&self, command: &mut Command) -> Result<(), String> {
        let shown = std::iter::once(command.get_program())
            .chain(command.get_args())
            .map(|part| part.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ");
        let status = command.status().map_err(|error| format!("could not start `{shown}`: {error}"))?;
        if status.success() { Ok(()) } else { Err(format!("`{shown}` failed ({status})")) }
    }

    /// The first line a command prints, if it runs.
    fn output(&self, program: &str, args: &[&str]) -> Option<String> {
        let output = self.command(program).args(args).stderr(Stdio::null()).output().ok()?;
        output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    fn ensure_wasm_target(&self) -> Result<(), String> {
        let installed = self.output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
        if installed.lines().any(|line| line.trim() == "wasm32-unknown-unknown") {
            return Ok(());
        }
        step("installing the wasm32-unknown-unknown target (first run only)");
        self.run(self.command("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
    }

    fn ensure_wasm_bindgen(&self) -> Result<(), String> {
        let version = wasm_bindgen_version()?;
        let found = self.output("wasm-bindgen", &["--version"]).unwrap_or_default();
        if found.ends_with(&version) {
            return Ok(());
        }
        step(&format!(
            "installing wasm-bindgen-cli {version} to match Cargo.lock, --locked (first run only, about 4 minutes on 2 cores)"
        ));
        // Its own lock file pins webpki-roots 1.0.11, which the registry here lacks; the
        // lock in xtask/locks/ is that file with 1.0.10 (the release before) instead, and
        // `--locked` installs from the crate's source with it, every dependency pinned.
        let lock_file = root().join(format!("xtask/locks/wasm-bindgen-cli-{version}.lock"));
        let lock = std::fs::read_to_string(&lock_file).map_err(|error| {
            format!(
                "{}: {error} (a new wasm-bindgen needs its lock: take the crate's Cargo.lock, resolved against this registry)",
                lock_file.display()
            )
        })?;
        let source = self.crate_source("wasm-bindgen-cli", &version)?;
        std::fs::write(source.join("Cargo.lock"), lock)
            .map_err(|error| format!("writing the lock: {error}"))?;
        self.run(
            self.command("cargo").arg("install").arg("--path").arg(&source).args(["--locked", "--force"]),
        )
    }

    /// The source of crate `name` at `version`, unpacked from the registry into a folder of
    /// its own under `~/.cache/kindling` (a throwaway package depends on it so that cargo
    /// downloads it).
    fn crate_source(&self, name: &str, version: &str) -> Result<PathBuf, String> {
        let work = home().join(".cache/kindling/crate-sources").join(format!("{name}-{version}"));
        let fetcher = work.join("fetch");
        std::fs::create_dir_all(fetcher.join("src"))
            .map_err(|error| format!("{}: {error}", fetcher.display()))?;
        let manifest = format!(
            "[package]\nname = \"fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\n{name} = \"={version}\"\n\n[workspace]\n"
        );
        let write = |path: PathBuf, text: &str| {
            std::fs::write(&path, text).map_err(|error| format!("{}: {error}", path.display()))
        };
        write(fetcher.join("Cargo.toml"), &manifest)?;
        write(fetcher.join("src/lib.rs"), "")?;
        self.run(self.command("cargo").arg("fetch").arg("--manifest-path").arg(fetcher.join("Cargo.toml")))?;
        let cache = std::fs::read_dir(cargo_home().join("registry/cache"))
            .map_err(|error| format!("the registry cache: {error}"))?
            .filter_map(Result::ok)
            .map(|entry| entry.path().join(format!("{name}-{version}.crate")))
            .find(|path| path.exists())
            .ok_or_else(|| format!("{name} {version} was not downloaded"))?;
        let unpacked = work.join(format!("{name}-{version}"));
        let _ = std::fs::remove_dir_all(&unpacked);
        self.run(self.command("tar").arg("xzf").arg(&cache).arg("-C").arg(&work))?;
        Ok(unpacked)
    }

    fn ensure_trunk(&self) -> Result<(), String> {
        let found = self.output("trunk", &["--version"]).unwrap_or_default();
        if found.ends_with(TRUNK_VERSION) {
            return Ok(());
        }
        step(&format!("installing trunk {TRUNK_VERSION} (first run only, about 15 minutes on 2 cores)"));
        // trunk 0.22.1 declares rustc 1.96.1 but builds and works with this toolchain.
        self.run(self.command("cargo").args([
            "install",
            "trunk",
            "--version",
            TRUNK_VERSION,
            "--locked",
            "--ignore-rust-version",
            "--force",
        ]))
    }

    fn ensure_cargo_deny(&self) -> Result<(), String> {
        let found = self.output("cargo-deny", &["--version"]).unwrap_or_default();
        if found.ends_with(CARGO_DENY_VERSION) {
            return Ok(());
        }
        step(&format!(
            "installing cargo-deny {CARGO_DENY_VERSION} (first run only, about 4 minutes on 2 cores)"
        ));
        self.run(self.command("cargo").args([
            "install",
            "cargo-deny",
            "--version",
            CARGO_DENY_VERSION,
            "--locked",
            "--force",
        ]))
    }

    fn ensure_npm_tools(&self) -> Result<(), String> {
        let modules = root().join("xtask/node_modules");
        if modules.join(".bin/wasm-opt").exists() && modules.join("playwright-core").exists() {
            return Ok(());
        }
        step("installing wasm-opt (binaryen) and playwright-core from npm (first run only)");
        self.run(
            self.command("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(root().join("xtask")),
        )
    }

    /// The benchmark's peer, TensorFlow.js (`xtask/bench/package-lock.json`), for `cargo
    /// xtask bench` only: the tests never load it.
    pub fn ensure_bench_peer(&self) -> Result<PathBuf, String> {
        let bench = root().join("xtask/bench");
        let modules = bench.join("node_modules");
        if !modules.join("@tensorflow/tfjs-backend-wasm").exists() {
            step("installing TensorFlow.js 4.22 from npm, the benchmark's peer (first run only)");
            self.run(self.command("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&bench))?;
        }
        Ok(modules)
    }

    /// A Python with PyTorch (`xtask/torch-requirements.txt`), in a virtual environment
    /// outside the clone (`~/.cache/kindling/torch-venv`), so later runs on the machine reuse
    /// it; returns its `python`. pip runs again only when the requirements change.
    pub fn ensure_torch(&self) -> Result<PathBuf, String> {
        let venv = home().join(".cache/kindling/torch-venv");
        let python = venv.join("bin/python");
        let requirements_path = root().join("xtask/torch-requirements.txt");
        let requirements = std::fs::read_to_string(&requirements_path)
            .map_err(|error| format!("{}: {error}", requirements_path.display()))?;
        let stamp = venv.join("kindling-requirements.txt");
        if python.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(requirements.as_str()) {
            return Ok(python);
        }
        step(
            "installing PyTorch into ~/.cache/kindling/torch-venv (first run only, about 2 minutes and 5 GB)",
        );
        if !python.exists() {
            self.run(self.command("python3").args(["-m", "venv"]).arg(&venv))?;
        }
        self.run(
            self.command(&python.display().to_string())
                .args(["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off", "-r"])
                .arg(&requirements_path),
        )?;
        std::fs::write(&stamp, requirements).map_err(|error| format!("{}: {error}", stamp.display()))?;
        Ok(python)
    }

    /// Chromium and ChromeDriver, from apt where they are missing.
    pub fn ensure_chromium(&self) -> Result<(), String> {
        if PathBuf::from(CHROMIUM).exists() && PathBuf::from(CHROMEDRIVER).exists() {
            return Ok(());
        }
        step("installing Chromium and ChromeDriver from apt (first run only, about a minute)");
        let sudo: &[&str] = if self.output("id", &["-u"]).as_deref() == Some("0") { &[] } else { &["sudo"] };
        let apt = |args: &[&str]| {
            let mut full: Vec<&str> = sudo.to_vec();
            full.push("apt-get");
            full.extend_from_slice(args);
            self.run(self.command(full[0]).args(&full[1..]).env("DEBIAN_FRONTEND", "noninteractive"))
        };
        apt(&["update", "-q"])?;
        apt(&["install", "-y", "-q", "chromium", "chromium-driver"])
    }
}

pub fn home() -> PathBuf {
    std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default()
}

/// Where cargo keeps its registry and installs binaries: `CARGO_HOME`, else `~/.cargo`.
pub fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME").map(PathBuf::from).unwrap_or_else(|| home().join(".cargo"))
}

/// The `wasm-bindgen` version in Cargo.lock, which the CLI must equal.
fn wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|error| format!("reading Cargo.lock: {error}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next().and_then(|next| next.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".to_owned())
}
