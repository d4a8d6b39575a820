//! Records the git commit and target triple for `--version` and `pcsr-tui doctor`.

use std::process::Command;

fn main() {
    // "unknown" when building from a tarball or without git: the version must never fail a build.
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".to_string());
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".to_string());
    println!("cargo:rustc-env=PCSR_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=PCSR_TARGET={target}");
    // Re-run when HEAD moves (a commit or a checkout); in a worktree .git is a file, so also
    // follow the path git names.
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    if let Some(head) = git(&["rev-parse", "--git-path", "HEAD"]) {
        println!("cargo:rerun-if-changed={head}");
    }
    // The branch's ref file changes on every commit; HEAD itself only on a checkout.
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"])
        && let Some(path) = git(&["rev-parse", "--git-path", &branch])
    {
        println!("cargo:rerun-if-changed={path}");
    }
    pack_relocations();
    println!("cargo:rerun-if-changed=build.rs");
}

/// Links the app with packed relative relocations (DT_RELR) on GNU/Linux. The position
/// independent binary carries about 38,000 relative relocations; as a plain table they are
/// 0.9 MB that the loader reads at every start and that stays mapped for the life of the
/// process (1 MB of the idle app's 15.6 MB). Packed they take 12 KB. Needs binutils 2.38 or
/// lld to link (older linkers warn and ignore it) and glibc 2.36 to run, which the loader checks
/// by name. Only the binary gets it: tests and examples link as before.
fn pack_relocations() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
