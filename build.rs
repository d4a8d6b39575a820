//! Records the git commit and target triple for `--version` and `pcsr-tui doctor`.

use std::process::Command;

fn main() {
    // "unknown" when building from a tarball or without git: the version must never fail a build.
    let git = |args: &[&str]| stdout_of("git", args);
    let commit = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".to_string());
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".to_string());
    println!("cargo:rustc-env=PCSR_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=PCSR_TARGET={target}");
    // Re-run when HEAD moves (a commit or a checkout); in a worktree .git is a file, so also
    // follow the path git names.
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
    order_startup_code();
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

/// What a command printed, trimmed; None when it could not run, failed or printed nothing.
fn stdout_of(program: &str, args: &[&str]) -> Option<String> {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Lays out the functions a start runs side by side in the binary (benches/startup_order.py
/// lists them). The kernel keeps every 64 KiB window of code a process touched mapped, and the
/// start's 1.8 MB of functions were spread over 157 windows: 10 MB of the idle app's RSS. Side
/// by side they take 37 (2.3 MB; idle RSS 21.7 -> 13.7 MB with the Azure catalogue cached).
///
/// Only with rust-lld, the linker rustc uses on x86_64 GNU/Linux unless one is configured: GNU
/// ld has no such option and would fail the link. A name the build does not have (another
/// toolchain, a dependency updated) is skipped without a word, and the binary is only laid out
/// as before for that function.
fn order_startup_code() {
    let order = "assets/link/startup-order.txt";
    println!("cargo:rerun-if-changed={order}");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let target = std::env::var("TARGET").unwrap_or_default();
    // Cargo sets RUSTC_LINKER when a linker is configured (config, environment); rustflags
    // can also choose one.
    let own_linker = std::env::var_os("RUSTC_LINKER").is_some()
        || std::env::var("CARGO_ENCODED_RUSTFLAGS")
            .is_ok_and(|f| f.contains("linker") || f.contains("link-self-contained"));
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let path = std::path::Path::new(&manifest).join(order);
    if target == "x86_64-unknown-linux-gnu" && !own_linker && rust_lld_default() && path.is_file() {
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            path.display()
        );
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

/// rustc links with its own lld on x86_64 GNU/Linux from 1.90 on.
fn rust_lld_default() -> bool {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    stdout_of(&rustc, &["--version"])
        .and_then(|v| {
            let mut parts = v.split_whitespace().nth(1)?.split('.');
            let major: u32 = parts.next()?.parse().ok()?;
            let minor: u32 = parts.next()?.parse().ok()?;
            Some(major > 1 || minor >= 90)
        })
        .unwrap_or(false)
}
