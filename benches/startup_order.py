#!/usr/bin/env python3
"""Writes assets/link/startup-order.txt: the functions a start runs, in the order the linker
should lay them out, so that the code the idle app has touched sits together.

    python3 benches/startup_order.py [--no-build] [--check]

Why: the kernel maps a file's pages in 64 KiB windows around each page the process touches
(fault-around). A start touches about 1.8 MB of functions spread over 157 of the binary's 235
windows, so 10 MB of code stayed resident for nothing; laid out together they take about 30
windows. build.rs hands the file to the linker (lld's --symbol-ordering-file) for the binary.

How: the release binary (it keeps its symbol table: Cargo.toml's strip = "debuginfo") runs under
callgrind in a PTY, in the sessions the idle figures measure, and each phase's functions are
taken from a callgrind dump:
  1. `--backend azure` with over 10,000 classifications cached, from launch to idle;
  2. the built-in sandbox (a first run, Partner Center), from launch to idle;
  3. keys: Topic search, Right/Left/Down, typing a title.
A function keeps its first phase. Names are mangled: a name a later build does not have is
skipped by the linker (the binary only loses that function's place), so the file ages slowly;
run this again after a toolchain or dependency update. --check prints how many of the file's
names the current binary has, and how many of its windows a start touches, without writing.
"""
import argparse, os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import user_figures as uf  # noqa: E402

OUT = os.path.join(uf.ROOT, "assets", "link", "startup-order.txt")
WINDOW = 64 * 1024


def symbols(binary):
    """Each defined function's (address, size), by mangled name."""
    nm = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True, check=True)
    table = {}
    for line in nm.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tTwW":
            table[parts[3]] = (int(parts[0], 16), int(parts[1], 16))
    return table


def functions(dump, binary):
    """The binary's functions with a cost in one callgrind dump, in the dump's order."""
    names, seen, ob = [], set(), None
    with open(dump, errors="replace") as f:
        for line in f:
            if line.startswith("ob="):
                ob = line[3:].strip()
            elif line.startswith("fn=") and ob == binary:
                # callgrind marks a recursion's depth with 'N.
                name = re.sub(r"'\d+$", "", line[3:].strip())
                if name not in seen:
                    seen.add(name)
                    names.append(name)
    return names


def profile(binary, argv, env, ready, keys, out):
    """Runs one session under callgrind; returns its dump (launch to idle, then the keys)."""
    prefix = os.path.join(out, f"cg{len(os.listdir(out))}")
    valgrind = shutil.which("valgrind")
    if not valgrind:
        raise SystemExit("valgrind is not installed (apt install valgrind)")
    cg = [valgrind, "--tool=callgrind", "--demangle=no", "--dump-line=no", "--compress-strings=no",
          f"--callgrind-out-file={prefix}.%p"]
    p = uf.Pty(cg + [binary] + argv[1:], env)
    try:
        if not p.wait_for(ready, 300):
            raise SystemExit(f"{argv} never showed {ready!r} under callgrind")
        p.quiet(2.0, 120)
        for k in keys:
            p.key(k)
            p.quiet(0.3, 30)
        # Timers that run while idle (none are expected) have their time to show.
        time.sleep(2.0)
        # callgrind_control answers once the dump is written.
        subprocess.run(["callgrind_control", "--dump", str(p.pid)], check=True, capture_output=True)
        dumps = [f for f in os.listdir(out) if f.startswith(os.path.basename(prefix) + ".") and f.endswith(".1")]
        if not dumps:
            raise SystemExit("callgrind wrote no dump")
        return os.path.join(out, dumps[0])
    finally:
        p.close()


def main():
    ap = argparse.ArgumentParser(description="Lay out the code a start runs together.")
    ap.add_argument("--no-build", action="store_true", help="profile the release binary as it is")
    ap.add_argument("--check", action="store_true", help="report on the file, do not write it")
    a = ap.parse_args()
    if not a.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "pcsr-tui"], cwd=uf.ROOT, check=True)
    binary = os.path.join(uf.REL, "pcsr-tui")
    table = symbols(binary)
    if not table:
        raise SystemExit(f"{binary} has no symbol table: build it with Cargo.toml's release profile")
    home = tempfile.mkdtemp(prefix="pcsr-order-")
    out = tempfile.mkdtemp(prefix="pcsr-order-cg-")
    az = uf.AzureCatalogue(binary, os.path.join(home, "azure"))
    try:
        phases = [profile(binary, az.argv, az.env, az.ready, [], out)]
        if not a.check:
            sandbox = uf.env_for(os.path.join(home, "pc"))
            phases.append(profile(binary, [binary], sandbox, b"Licensing", [], out))
            tab, back, right, left, down = b"\t", b"\x1b[Z", b"\x1b[C", b"\x1b[D", b"\x1b[B"
            keys = [tab] * 3 + [b"v", b"m", b" ", b"r", b"\x7f", b"\x7f", b"\x7f", b"\x7f", right, left, down,
                                right, left, b"c", b"\x7f"] + [back] * 3 + [bytes([c]) for c in b"cannot rdp vm\x7f"]
            phases.append(profile(binary, az.argv, az.env, az.ready, keys, out))
    finally:
        az.close()
    order, seen = [], set()
    for dump in phases:
        for name in functions(dump, binary):
            if name in table and name not in seen:
                seen.add(name)
                order.append(name)
    start = functions(phases[0], binary)
    windows = {(addr + o) // WINDOW for n in start if n in table for addr, size in [table[n]] for o in range(0, size, 4096)}
    size = sum(table[n][1] for n in start if n in table)
    print(f"a start runs {len(start)} functions, {size / 1e6:.2f} MB, in {len(windows)} windows of 64 KiB")
    if a.check:
        if os.path.exists(OUT):
            with open(OUT) as f:
                listed = [line.strip() for line in f if line.strip()]
            print(f"{OUT}: {sum(n in table for n in listed)} of {len(listed)} names are in this binary")
        return
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write("\n".join(order) + "\n")
    print(f"wrote {len(order)} names to {OUT}")


if __name__ == "__main__":
    main()
