#!/usr/bin/env python3
"""What the user feels, measured in a real pseudo-terminal, side by side with a bare ratatui app.

    python3 benches/user_figures.py [--runs N] [--keys N] [--app PATH] [--only first,idle,...]

Builds (release) pcsr-tui, the bare ratatui baseline (examples/bare.rs) and the history fixture
(examples/seed_history.rs), then in one run, in a 120x40 PTY:
  - launch -> first frame (last byte of it), sandbox mode, warm data dir
  - idle RSS with the form on screen
  - idle wake-ups: context switches of all threads over 5 s with nothing happening
  - key -> last byte of the frame: typing in the topic filter with 10,000 topics, moving down a
    history of 100,000 rows, End/Home in that history
  - `submit --json` against curl, same POST to the same local sandbox
  - `submit --backend azure --json` against curl doing the same PUT, operation poll and read
    of the ticket (the long-running pattern) on the same local sandbox
  - with `--only setup` (not in the default set: it takes minutes): a fresh machine's set-up,
    README's two commands (`cargo build --release`, the build half of `cargo run --release`,
    then `cargo test --release`) in a clean clone of HEAD with its own target directory
and prints each figure as the median over runs with its ratio to the baseline's median, and
the min/median/max of the runs of both. The load average is printed beside them: on a shared
machine the baseline's own spread shows how much of a figure is the machine. --app measures another build of pcsr-tui
(e.g. an older one) with the same fixtures.
"""
import argparse, fcntl, http.server, json, os, pty, select, shutil, signal, statistics, struct
import subprocess, sys, tempfile, termios, threading, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
REL = os.path.join(ROOT, "target", "release")
COLS, ROWS = 120, 40
QUIET = 0.040  # a frame is over when the terminal has been silent this long


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "pcsr-tui",
                    "--example", "bare", "--example", "seed_history"], cwd=ROOT, check=True)


class Pty:
    """A program in a pseudo-terminal; reads keep the time of the last byte."""

    def __init__(self, argv, env):
        self.t0 = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.out = b""

    def settle(self, first_timeout=5.0, quiet=QUIET):
        """Reads until the output has been quiet for `quiet` after at least one byte; returns
        the time of the last byte, or None when nothing came."""
        last, deadline = None, time.perf_counter() + first_timeout
        while True:
            wait = quiet if last else max(0.0, deadline - time.perf_counter())
            if not select.select([self.fd], [], [], wait)[0]:
                return last
            try:
                chunk = os.read(self.fd, 1 << 20)
            except OSError:
                return last
            if not chunk:
                return last
            self.out += chunk
            last = time.perf_counter()

    def wait_for(self, needle, timeout=20.0):
        end = time.perf_counter() + timeout
        while needle not in self.out and time.perf_counter() < end:
            if select.select([self.fd], [], [], 0.05)[0]:
                try:
                    self.out += os.read(self.fd, 1 << 20)
                except OSError:
                    break
        return needle in self.out

    def key(self, data):
        """Sends a key; returns ms until the last byte of the frame it caused."""
        self.settle(0.0, 0.01)
        start = time.perf_counter()
        os.write(self.fd, data)
        last = self.settle(2.0)
        return None if last is None else (last - start) * 1000

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass

    def threads_ctx(self):
        total = 0
        for task in os.listdir(f"/proc/{self.pid}/task"):
            try:
                with open(f"/proc/{self.pid}/task/{task}/status") as f:
                    for line in f:
                        if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                            total += int(line.split()[1])
            except OSError:
                pass
        return total

    def rss_mb(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) / 1024
        return 0.0


def env_for(home, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PCSR_", "RUST_LOG"))}
    env.update(TERM="xterm-256color", HOME=home, PCSR_DATA_DIR=os.path.join(home, "data"),
               PCSR_CONFIG_DIR=os.path.join(home, "cfg"), PCSR_KEYRING="none")
    env.update(extra)
    return env


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def topics_server(n):
    """A loopback Partner Center that serves `n` support topics (and 404 for the rest)."""
    # Names are single words: ratatui skips cells that stay blank, so a phrase on screen may
    # arrive split by cursor moves and never match as bytes.
    items = [{"id": 40000000 + i, "name": f"Topic{i}-{w}",
              "description": f"Questions on {w} number {i}, licensing, billing and profiles"}
             for i, w in enumerate(["billing", "licensing", "profile", "customers", "orders",
                                    "invoices", "subscriptions", "support"] * (n // 8 + 1))][:n]
    body = json.dumps({"totalCount": n, "items": items,
                       "attributes": {"objectType": "Collection"}}).encode()

    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            ok = self.path.startswith("/v1/servicerequests/supporttopics")
            data = body if ok else b'{"code":1000,"description":"not found"}'
            self.send_response(200 if ok else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


FRAME_GAP = 0.005  # ratatui writes a frame in one burst; a later frame is another answer


def first_frame(argv, env, marker, settled_marker=None):
    """ms to the last byte of the first frame (the burst that shows `marker`), and, when
    `settled_marker` is given, ms until that shows too (the topic list, after the sandbox
    started): (first, settled)."""
    p = Pty(argv, env)
    try:
        start = p.t0
        if not p.wait_for(marker, 10):
            return None, None
        last = p.settle(0.0, FRAME_GAP)
        first = ((last or time.perf_counter()) - start) * 1000
        settled = None
        if settled_marker is not None and p.wait_for(settled_marker, 10):
            settled = (time.perf_counter() - start) * 1000
        return first, settled
    finally:
        p.close()


def idle(argv, env, marker):
    p = Pty(argv, env)
    try:
        p.wait_for(marker, 10)
        p.settle(0.0, 0.5)
        time.sleep(1.0)
        a = p.threads_ctx()
        time.sleep(5.0)
        b = p.threads_ctx()
        return (b - a) / 5.0, p.rss_mb()
    finally:
        p.close()


def keys(argv, env, ready, setup, sequence, count):
    """Latencies of `count` keys cycling through `sequence`, after `setup` keys."""
    p = Pty(argv, env)
    try:
        if not p.wait_for(ready, 20):
            tail = p.out[-600:].decode("utf-8", "replace")
            raise SystemExit(f"{argv[0]}: never saw {ready!r} on screen; last output: {tail!r}")
        p.settle(0.0, 0.5)
        for k, wait_for in setup:
            os.write(p.fd, k)
            if wait_for:
                p.wait_for(wait_for, 20)
            p.settle(0.0, 0.3)
        out = []
        for i in range(count):
            ms = p.key(sequence[i % len(sequence)])
            if ms is not None:
                out.append(ms)
        return out
    finally:
        p.close()


def serve_sandbox(app, env):
    """`sandbox serve` on a free port: the process and its URL (None when it printed none)."""
    srv = subprocess.Popen([app, "sandbox", "serve", "--port", "0"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = srv.stdout.readline()
    url = next((w for w in line.split() if w.startswith("http://")), None)
    return srv, url.rstrip("/.,") if url else None


def submit_vs_curl(app, home, runs):
    srv, url = serve_sandbox(app, env_for(home))
    try:
        if not url:
            return None
        env = env_for(home, PCSR_BASE_URL=url, PCSR_TOKEN="sandbox-token")
        args = [app, "submit", "--title", "Bench", "--description", "Timing a submit",
                "--severity", "minimal", "--topic", "32444671", "--json"]
        body = json.dumps({"Title": "Bench", "Description": "Timing a submit", "Severity": "minimal",
                           "SupportTopicId": "32444671"})
        ours, theirs = [], []
        for i in range(runs):
            t = time.perf_counter()
            subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            ours.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            subprocess.run(["curl", "-s", "-o", "/dev/null", "-X", "POST", f"{url}/v1/servicerequests/en-US",
                            "-H", "Authorization: Bearer sandbox-token", "-H", "Content-Type: application/json",
                            "-H", f"MS-RequestId: 00000000-0000-4000-8000-{i:012d}", "-d", body], check=True)
            theirs.append((time.perf_counter() - t) * 1000)
        return ours, theirs
    finally:
        srv.kill()
        srv.wait()


AZURE_CONFIG = """
[azure]
consent = "no"

[azure.contact]
first_name = "Bench"
last_name = "Mark"
email = "bench@contoso.example"
method = "email"
time_zone = "Pacific Standard Time"
country = "USA"
language = "en-US"
"""

AZURE_TOPIC = ("/providers/Microsoft.Support/services/cddd3eb5-1830-b494-44fd-782f691479dc"
               "/problemClassifications/dfd85090-76e5-5ddd-ad03-50d385db065f")
AZURE_SUB = "132d901f-189d-4381-9214-fe68e27e05a1"


def azure_submit_vs_curl(app, home, runs):
    """An Azure create both ways: ours records it in the outbox, PUTs it, polls the operation
    and reads the ticket back; curl does the same three calls (a PUT answered 202, a GET of the
    Azure-AsyncOperation URL, a GET of the ticket) as a shell script would. The sandbox ends each
    operation at its first poll (Retry-After: 0), so the figure is the client's own cost."""
    os.makedirs(os.path.join(home, "cfg"), exist_ok=True)
    with open(os.path.join(home, "cfg", "config.toml"), "w") as f:
        f.write(AZURE_CONFIG)
    srv, url = serve_sandbox(app, env_for(home, PCSR_SANDBOX_AZURE_POLLS="0"))
    try:
        if not url:
            return None
        env = env_for(home, PCSR_BASE_URL=url, PCSR_TOKEN="sandbox-token", PCSR_BACKEND="azure",
                      PCSR_SUBSCRIPTION=AZURE_SUB)
        args = [app, "submit", "--title", "Bench", "--description", "Timing a submit",
                "--severity", "minimal", "--topic", AZURE_TOPIC, "--json"]
        body = json.dumps({"properties": {
            "title": "Bench", "description": "Timing a submit", "severity": "Minimal",
            "problemClassificationId": AZURE_TOPIC, "advancedDiagnosticConsent": "No",
            "serviceId": AZURE_TOPIC.split("/problemClassifications/")[0],
            "contactDetails": {"firstName": "Bench", "lastName": "Mark",
                               "primaryEmailAddress": "bench@contoso.example",
                               "preferredContactMethod": "email",
                               "preferredTimeZone": "Pacific Standard Time", "country": "USA",
                               "preferredSupportLanguage": "en-US"}}})
        auth = ["-H", "Authorization: Bearer sandbox-token"]
        ours, theirs = [], []
        for i in range(runs):
            t = time.perf_counter()
            subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            ours.append((time.perf_counter() - t) * 1000)
            ticket = (f"{url}/subscriptions/{AZURE_SUB}/providers/Microsoft.Support/supportTickets/"
                      f"curl-bench-{os.getpid()}-{i}?api-version=2024-04-01")
            t = time.perf_counter()
            put = subprocess.run(["curl", "-s", "-o", "/dev/null", "-D", "-", "-X", "PUT", ticket, *auth,
                                  "-H", "Content-Type: application/json", "-d", body],
                                 check=True, capture_output=True, text=True).stdout
            op = next((l.split(":", 1)[1].strip() for l in put.splitlines()
                       if l.lower().startswith("azure-asyncoperation:")), None)
            if op:
                subprocess.run(["curl", "-s", "-o", "/dev/null", op, *auth], check=True)
            subprocess.run(["curl", "-s", "-o", "/dev/null", ticket, *auth], check=True)
            theirs.append((time.perf_counter() - t) * 1000)
        return ours, theirs
    finally:
        srv.kill()
        srv.wait()


def setup_minutes():
    """Minutes of README's two commands in a clean clone of HEAD with an empty target directory
    (the package registry cache is shared: a fresh machine downloads the crates first)."""
    clone = tempfile.mkdtemp(prefix="pcsr-setup-")
    try:
        subprocess.run(["git", "clone", "--quiet", ROOT, clone], check=True)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("CARGO_TARGET_DIR", "CARGO_PROFILE_", "CARGO_BUILD_", "RUSTFLAGS"))}
        out = []
        for cmd in (["cargo", "build", "--release"], ["cargo", "test", "--release"]):
            t = time.perf_counter()
            done = subprocess.run(cmd, cwd=clone, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
            out.append(((time.perf_counter() - t) / 60, done.returncode))
        return out
    finally:
        shutil.rmtree(clone, ignore_errors=True)


def spread(values):
    if not values:
        return "no samples"
    return f"min {min(values):.2f} / median {statistics.median(values):.2f} / max {max(values):.2f}"


def row(label, ours, base, unit="ms", goal=""):
    """One figure: the median over runs, its ratio to the baseline's median, and both spreads."""
    if not ours:
        print(f"{label:<46} {'n/a':>9}")
        return
    o = statistics.median(ours)
    b = statistics.median(base) if base else None
    ratio = f"{o / b:5.2f}x" if b else "  n/a"
    bs = f"{b:9.2f} {unit:<3}" if b is not None else f"{'':13}"
    print(f"{label:<46} {o:9.2f} {unit:<3} {bs} {ratio}   {goal}")
    print(f"{'':<6}runs ({len(ours)}): {spread(ours)}" + (f"; baseline {spread(base)}" if base else ""))


FIGURES = ("first", "idle", "topics", "history", "endhome", "submit", "azure")
SLOW = ("setup",)


def main():
    ap = argparse.ArgumentParser(description="The user's figures of pcsr-tui, in a PTY, as ratios "
                                 "to a bare ratatui app measured in the same run.")
    ap.add_argument("--runs", type=int, default=5, help="runs per figure (each key figure is a "
                    "fresh session of --keys keys; p50/p99 are per run)")
    ap.add_argument("--keys", type=int, default=200, help="keys per key session")
    ap.add_argument("--app", default=os.path.join(REL, "pcsr-tui"), help="the pcsr-tui build to measure")
    ap.add_argument("--no-build", action="store_true", help="measure the binaries as they are")
    ap.add_argument("--only", default=",".join(FIGURES),
                    help=f"comma-separated subset of {','.join(FIGURES + SLOW)} (default: all but "
                    f"{','.join(SLOW)})")
    a = ap.parse_args()
    only = set(a.only.split(","))
    if not a.no_build:
        build()
    app, bare = os.path.abspath(a.app), os.path.join(REL, "examples", "bare")
    home = tempfile.mkdtemp(prefix="pcsr-bench-")
    ff_app = topics_app = ff_bare = idle_app = idle_bare = []
    topic_runs = hist_runs = endhome_runs = bare_runs = []
    sub = azure_sub = setup = None
    load = [os.getloadavg()[0]]
    try:
        sandbox_env = env_for(home)
        # Warm the data dir (sandbox state, topic cache) once.
        first_frame([app], sandbox_env, b"SANDBOX", b"Licensing")
        if "first" in only:
            runs_app = [first_frame([app], sandbox_env, b"SANDBOX", b"Licensing") for _ in range(a.runs)]
            ff_app = [f for f, _ in runs_app if f is not None]
            topics_app = [t for _, t in runs_app if t is not None]
            ff_bare = [f for f, _ in (first_frame([bare], sandbox_env, b"keys") for _ in range(a.runs)) if f is not None]
        if "idle" in only:
            idle_app = [idle([app], sandbox_env, b"SANDBOX") for _ in range(max(2, a.runs // 2))]
            idle_bare = [idle([bare], sandbox_env, b"keys") for _ in range(max(2, a.runs // 2))]
        load.append(os.getloadavg()[0])

        hist_home = tempfile.mkdtemp(prefix="pcsr-bench-hist-")
        subprocess.run([os.path.join(REL, "examples", "seed_history"), os.path.join(hist_home, "data"), "100000"],
                       check=True, stdout=subprocess.DEVNULL)
        srv = topics_server(10_000)
        url = f"http://127.0.0.1:{srv.server_address[1]}"
        topic_env = env_for(home, PCSR_BASE_URL=url, PCSR_TOKEN="bench-token")
        hist_env = env_for(hist_home, PCSR_BASE_URL=url, PCSR_TOKEN="bench-token")
        tab = b"\t"
        down = b"\x1b[B"
        for _ in range(a.runs):
            # Title -> Description -> Severity -> Topic, then type a letter and erase it: every
            # key filters all 10,000 topics again.
            if "topics" in only:
                topic_runs = topic_runs + [keys([app], topic_env, b"Topic31-support", [(tab, None)] * 3,
                                                [b"b", b"\x7f", b"p", b"\x7f", b"o", b"\x7f"], a.keys)]
            if "history" in only:
                hist_runs = hist_runs + [keys([app], hist_env, b"Topic31-support", [(b"\x12", b"100000")],
                                              [down], a.keys)]
            if "endhome" in only:
                endhome_runs = endhome_runs + [keys([app], hist_env, b"Topic31-support",
                                                    [(b"\x12", b"100000")], [b"\x1b[F", b"\x1b[H"], 40)]
            if only & {"topics", "history", "endhome"}:
                bare_runs = bare_runs + [keys([bare], sandbox_env, b"keys", [], [down], a.keys)]
        load.append(os.getloadavg()[0])
        srv.shutdown()
        shutil.rmtree(hist_home, ignore_errors=True)
        if "submit" in only and shutil.which("curl"):
            sub = submit_vs_curl(app, home, a.runs * 2)
        if "azure" in only and shutil.which("curl"):
            azure_sub = azure_submit_vs_curl(app, home, a.runs * 2)
        if "setup" in only:
            setup = setup_minutes()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    load.append(os.getloadavg()[0])

    print(f"\npcsr-tui: {app}\nbaseline: bare ratatui ({bare}), same PTY {COLS}x{ROWS}, same run")
    print(f"load average (1 min) during the run: {', '.join(f'{x:.2f}' for x in load)}\n")
    print(f"{'figure (median over runs)':<46} {'pcsr-tui':>13} {'baseline':>13} {'ratio':>6}   goal")
    if ff_app:
        row("launch -> first frame", ff_app, ff_bare, goal="<= 2x")
        row("launch -> topic list on screen", topics_app, ff_bare)
    if idle_app:
        row("idle RSS, form on screen", [r for _, r in idle_app], [r for _, r in idle_bare], "MB", "<= 4x")
        row("idle wake-ups per second (all threads)", [w for w, _ in idle_app], [w for w, _ in idle_bare],
            "/s", "<= 1/s")
    b50 = [pct(r, 50) for r in bare_runs]
    b99 = [pct(r, 99) for r in bare_runs]
    if topic_runs:
        row("key -> frame, topic filter, 10k topics, p50", [pct(r, 50) for r in topic_runs], b50)
        row("key -> frame, topic filter, 10k topics, p99", [pct(r, 99) for r in topic_runs], b99, goal="<= 2 ms")
    if hist_runs:
        row("key -> frame, history Down, 100k rows, p50", [pct(r, 50) for r in hist_runs], b50)
        row("key -> frame, history Down, 100k rows, p99", [pct(r, 99) for r in hist_runs], b99, goal="<= 2 ms")
    if endhome_runs:
        row("End/Home in that history, max", [max(r) for r in endhome_runs if r], b99, goal="<= 5 ms")
    if sub:
        row("submit --json vs curl", sub[0], sub[1], goal="<= 1.5x")
    if azure_sub:
        row("submit --backend azure --json vs curl", azure_sub[0], azure_sub[1], goal="<= 1.5x")
    if setup:
        (build_min, build_rc), (test_min, test_rc) = setup
        ok = "" if build_rc == 0 and test_rc == 0 else f"  (exit codes {build_rc}, {test_rc})"
        print(f"{'fresh clone: build --release + test --release':<46} {build_min + test_min:9.2f} min"
              f"{'':<19}<= 8 min{ok}")
        print(f"{'':<6}cargo build --release {build_min:.2f} min, cargo test --release {test_min:.2f} min, "
              f"{os.cpu_count()} cores")
    print()
    print(f"samples per run: topic filter {[len(r) for r in topic_runs]}, history {[len(r) for r in hist_runs]}, "
          f"End/Home {[len(r) for r in endhome_runs]}, bare {[len(r) for r in bare_runs]}")
    print(f"binary size: {os.path.getsize(app) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
