//! `cargo xtask fresh-check`: README's two commands run as a new user runs them, on a machine
//! that holds nothing of Kindling's — so that a step which works only because an earlier run
//! left something behind (a crate in the registry, an installed tool, a build folder outside
//! the clone) fails here, not on someone's first day.
//!
//! It clones the committed `HEAD` into a folder of its own and gives it a new, empty home:
//! no cargo registry, no installed cargo binaries, no `~/.cache` (so no PyTorch environment
//! and no build folder outside the clone), no npm or pip cache. What stays is what a fresh
//! machine comes with: the machine's Rust toolchain (rustup's proxies point at it), its
//! registry settings (`~/.npmrc`, cargo's `config.toml`) and system packages — so Chromium,
//! once apt has installed it, is not installed again. Then, timing each:
//!
//! 1. `cargo xtask test`, with the build folder inside the clone (README's setting; CI keeps
//!    its own outside);
//! 2. on a second fresh machine, `cargo xtask serve` on a free port, until the page is built
//!    and served, and `tests/e2e/serve-check.mjs` trains a few epochs in it in headless
//!    Chromium.
//!
//! `cargo xtask fresh-check test` or `… serve` checks one. Run it before resolving an issue
//! that touches tools, dependencies or xtask; it takes as long as two first runs (see
//! docs/testing.md) and about 30 GB of disk, left in the system's temporary folder for
//! inspection until the next check.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use super::{root, step};
use crate::tools::{Toolbox, cargo_home, home};

/// The names rustup installs as proxies of the machine's toolchain, in `~/.cargo/bin`.
const RUSTUP_PROXIES: &[&str] =
    &["rustup", "cargo", "cargo-clippy", "cargo-fmt", "clippy-driver", "rustc", "rustdoc", "rustfmt"];

/// The longest a first `cargo xtask serve` may take to serve the built page.
const SERVE_TIMEOUT: Duration = Duration::from_secs(75 * 60);

/// Which of README's commands to check.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Test,
    Serve,
    Both,
}

impl Check {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        match args.first().map(String::as_str) {
            None | Some("all") => Ok(Check::Both),
            Some("test") => Ok(Check::Test),
            Some("serve") => Ok(Check::Serve),
            Some(other) => Err(format!("fresh-check checks test, serve or all, not {other:?}")),
        }
    }
}

/// Runs `check`'s commands, each on a fresh machine of its own (a clone and an empty home):
/// `cargo xtask test` first, then `cargo xtask serve`, so that each installs all it needs.
pub fn check(check: Check) -> Result<(), String> {
    if let Ok(status) = Command::new("git").current_dir(root()).args(["status", "--porcelain"]).output()
        && !status.stdout.is_empty()
    {
        eprintln!("xtask: note: uncommitted changes are not part of the check (it clones HEAD)");
    }
    let mut said = Vec::new();
    if check != Check::Serve {
        let (clone, environment) = fresh_machine("test")?;
        let started = Instant::now();
        run(environment.command("cargo", &clone).args(["xtask", "test"]))?;
        said.push(format!(
            "`cargo xtask test` passed in {} (build folder inside the clone)",
            minutes(started.elapsed())
        ));
    }
    if check != Check::Test {
        let (clone, environment) = fresh_machine("serve")?;
        let started = Instant::now();
        let built = serve_and_train(&environment, &clone)?;
        said.push(format!(
            "`cargo xtask serve` served the built page after {} and a page that trains after {} (the check's own \
             Chromium included)",
            minutes(built),
            minutes(started.elapsed())
        ));
    }
    step(&format!(
        "fresh check passed, each command on a fresh machine: {}. Not covered: system packages installed before \
         the check (Chromium, after a first run) and the machine's Rust toolchain.",
        said.join("; ")
    ));
    Ok(())
}

/// A fresh machine for `what` in the temporary folder: a clean clone of `HEAD` and an empty home.
fn fresh_machine(what: &str) -> Result<(PathBuf, FreshEnvironment), String> {
    let work = std::env::temp_dir().join(format!("kindling-fresh-check-{what}"));
    step(&format!(
        "a fresh machine for `cargo xtask {what}` in {}: a clean clone of HEAD and an empty home",
        work.display()
    ));
    let _ = std::fs::remove_dir_all(&work);
    let clone = work.join("kindling");
    run(Command::new("git").arg("clone").arg("--quiet").arg(root()).arg(&clone))?;
    let environment = FreshEnvironment::create(&work.join("home"))?;
    Ok((clone, environment))
}

/// An empty home with what a fresh machine has in it: rustup's proxies and the registry
/// settings; the environment of the commands run in it.
struct FreshEnvironment {
    home: PathBuf,
    path: String,
    rustup_home: PathBuf,
}

impl FreshEnvironment {
    fn create(fresh_home: &Path) -> Result<Self, String> {
        let fresh_bin = fresh_home.join(".cargo/bin");
        std::fs::create_dir_all(&fresh_bin).map_err(|error| format!("{}: {error}", fresh_bin.display()))?;
        let real_bin = cargo_home().join("bin");
        let rustup = real_bin.join("rustup");
        if !rustup.exists() {
            return Err(format!("no rustup in {}: the check needs the machine's rustup", real_bin.display()));
        }
        for name in RUSTUP_PROXIES {
            if real_bin.join(name).exists() {
                std::os::unix::fs::symlink(&rustup, fresh_bin.join(name))
                    .map_err(|error| format!("linking {name}: {error}"))?;
            }
        }
        // The machine's settings for its registries, which a fresh machine has too.
        for (from, to) in [
            (home().join(".npmrc"), fresh_home.join(".npmrc")),
            (cargo_home().join("config.toml"), fresh_bin.with_file_name("config.toml")),
            (home().join(".gitconfig"), fresh_home.join(".gitconfig")),
            (home().join(".config/pip/pip.conf"), fresh_home.join(".config/pip/pip.conf")),
        ] {
            if from.exists() {
                if let Some(parent) = to.parent() {
                    let _ = std::fs::create_dir_all(parent);
                }
                std::fs::copy(&from, &to).map_err(|error| format!("{}: {error}", from.display()))?;
            }
        }
        let inherited = std::env::var("PATH").unwrap_or_default();
        let kept = std::env::split_paths(&inherited).filter(|dir| *dir != real_bin);
        let path = std::env::join_paths(std::iter::once(fresh_bin).chain(kept))
            .map_err(|error| format!("PATH: {error}"))?
            .to_string_lossy()
            .into_owned();
        let rustup_home =
            std::env::var_os("RUSTUP_HOME").map(PathBuf::from).unwrap_or_else(|| home().join(".rustup"));
        Ok(Self { home: fresh_home.to_path_buf(), path, rustup_home })
    }

    /// `program` in `dir`, with the fresh home and none of the variables `cargo run` or an
    /// outer build set (a target folder outside the clone, the toolchain's overrides).
    fn command(&self, program: &str, dir: &Path) -> Command {
        let mut command = Command::new(program);
        command.current_dir(dir);
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            if name.starts_with("CARGO")
                || name.starts_with("RUSTC")
                || ["RUSTUP_TOOLCHAIN", "RUSTFLAGS", "RUSTDOCFLAGS"].contains(&name.as_ref())
            {
                command.env_remove(name.as_ref());
            }
        }
        command
            .env("HOME", &self.home)
            .env("CARGO_HOME", self.home.join(".cargo"))
            .env("RUSTUP_HOME", &self.rustup_home)
            .env("PATH", &self.path);
        command
    }
}

/// `cargo xtask serve` in the fresh environment until the built page is served, then a few
/// epochs trained in it by `tests/e2e/serve-check.mjs`; the server is stopped either way.
/// Returns how long serve took to serve the built page.
fn serve_and_train(environment: &FreshEnvironment, clone: &Path) -> Result<Duration, String> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|error| format!("a free port: {error}"))?
        .port();
    step(&format!("cargo xtask serve --port {port}, until the built page is served"));
    let server = environment
        .command("cargo", clone)
        .args(["xtask", "serve", "--port", &port.to_string()])
        .process_group(0)
        .spawn()
        .map_err(|error| format!("cargo xtask serve: {error}"))?;
    let mut server = StopOnDrop(server);
    let started = Instant::now();
    loop {
        if let Some(status) = server.0.try_wait().map_err(|error| error.to_string())? {
            return Err(format!("cargo xtask serve ended before serving the page ({status})"));
        }
        if serves_built_page(port) {
            break;
        }
        if started.elapsed() > SERVE_TIMEOUT {
            return Err(format!("cargo xtask serve served no built page within {}", minutes(SERVE_TIMEOUT)));
        }
        std::thread::sleep(Duration::from_secs(5));
    }
    let built = started.elapsed();
    // The check's own browser (a user of `serve` brings theirs): installed here if missing, as
    // `cargo xtask test` would, so the time it takes is the check's, not serve's.
    let waited = Instant::now();
    Toolbox::new().ensure_chromium()?;
    step(&format!(
        "the served page, in headless Chromium (ready after {}): Train, until a few epochs are done",
        minutes(waited.elapsed())
    ));
    run(environment
        .command("node", clone)
        .arg(clone.join("tests/e2e/serve-check.mjs"))
        .arg(format!("http://127.0.0.1:{port}/")))?;
    Ok(built)
}

/// Whether `trunk serve` on `port` answers with the built page (which names the wasm module
/// trunk wrote; the source `index.html` does not).
fn serves_built_page(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    if stream.write_all(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").is_err() {
        return false;
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.starts_with("HTTP/1.") && response.contains(" 200 ") && response.contains("_bg.wasm")
}

/// A child in a process group of its own (cargo, then trunk and its server), stopped with
/// the whole group when dropped.
struct StopOnDrop(Child);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.0.wait();
    }
}

fn run(command: &mut Command) -> Result<(), String> {
    let shown = std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    let status = command.status().map_err(|error| format!("could not start `{shown}`: {error}"))?;
    if status.success() { Ok(()) } else { Err(format!("`{shown}` failed ({status})")) }
}

fn minutes(duration: Duration) -> String {
    let seconds = duration.as_secs();
    format!("{} min {} s", seconds / 60, seconds % 60)
}
