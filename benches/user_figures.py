#!/usr/bin/env python3
"""What the user feels, measured in a real pseudo-terminal, side by side with a bare ratatui app.

    python3 benches/user_figures.py [--runs N] [--keys N] [--app PATH] [--only first,idle,...]
    python3 benches/user_figures.py --only azure-first,azure-idle,azure-topics,azure-open

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
  - Azure, against `sandbox serve --control` grown by `POST /_sandbox/azure/catalogue` to over
    10,000 problem classifications (100 services of 100 on top of the built-in ones), warmed
    into the store cache by a first launch: `azure-first` launch -> first frame with
    `--backend azure` (and on the built-in sandbox), `azure-idle` idle RSS and wake-ups with
    the form on screen, `azure-topics` key -> frame typing in the Topic field (a letter searches
    every classification, Backspace goes back to the services), `azure-open` Right on a
    service whose classifications are cached: its latency and how many frames the answer was
  - with `--only setup` (not in the default set: it takes minutes): a fresh machine's set-up,
    README's two commands (`cargo build --release`, the build half of `cargo run --release`,
    then `cargo test --release`) in a clean clone of HEAD with its own target directory
and prints each figure as the median over runs with its ratio to the baseline's median, and
the min/median/max of the runs of both. The load average is printed beside them: on a shared
machine the baseline's own spread shows how much of a figure is the machine. --app measures another build of pcsr-tui
(e.g. an older one) with the same fixtures.
"""
import argparse, codecs, fcntl, http.server, json, os, pty, re, select, shutil, signal, statistics, struct
import subprocess, sys, tempfile, termios, threading, time, urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
# Where cargo puts the release build: CARGO_TARGET_DIR when set (a worktree with its own target
# directory), else the checkout's target/.
REL = os.path.join(os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target"), "release")
COLS, ROWS = 120, 40
QUIET = 0.040  # a frame is over when the terminal has been silent this long
FRAME_GAP = 0.005  # ratatui writes a frame in one burst; a later frame is another answer
# How crossterm ends the cells of every frame that changes any (colours and attributes reset):
# frames counted by it are counted right even when the terminal hands one over in pieces.
FRAME_END = b"\x1b[39m\x1b[49m\x1b[59m\x1b[0m"


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "pcsr-tui",
                    "--example", "bare", "--example", "seed_history"], cwd=ROOT, check=True)


class Screen:
    """The text on screen, from what ratatui writes (cursor moves, erases and characters; styles
    are skipped): for waiting on a phrase that ratatui may have drawn in pieces, since it skips
    the cells that did not change. Fed on demand, never while a key's answer is being timed."""

    ESC = re.compile(r"\x1b(?:\[([0-9;?]*)([@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78DEMc])")

    def __init__(self):
        self.grid = [[" "] * COLS for _ in range(ROWS)]
        self.r = self.c = 0
        self.fed = 0
        self.pending = ""
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def feed(self, out):
        text = self.pending + self.decoder.decode(out[self.fed:])
        self.fed = len(out)
        i, n = 0, len(text)
        while i < n:
            ch = text[i]
            if ch == "\x1b":
                m = self.ESC.match(text, i)
                if not m:
                    if n - i < 64:  # the rest of it has not come yet
                        break
                    i += 1
                    continue
                if m.group(2):
                    self.csi(m.group(1), m.group(2))
                i = m.end()
                continue
            i += 1
            if ch == "\r":
                self.c = 0
            elif ch == "\n":
                self.r = min(ROWS - 1, self.r + 1)
            elif ch >= " ":
                if self.r < ROWS and self.c < COLS:
                    self.grid[self.r][self.c] = ch
                self.c += 1
        self.pending = text[i:]

    def csi(self, args, final):
        nums = [int(x) if x.isdigit() else 0 for x in args.lstrip("?").split(";")] if args else []
        first = nums[0] if nums else 0
        if final in "Hf":
            self.r = max(1, first) - 1
            self.c = max(1, nums[1] if len(nums) > 1 else 1) - 1
        elif final == "C":
            self.c += max(1, first)
        elif final == "J" and first == 2:
            self.grid = [[" "] * COLS for _ in range(ROWS)]
        elif final == "K" and self.r < ROWS:
            for x in range(self.c, COLS):
                self.grid[self.r][x] = " "

    def text(self):
        return "\n".join("".join(row) for row in self.grid)


class Pty:
    """A program in a pseudo-terminal; reads keep the time of the last byte."""

    def __init__(self, argv, env):
        self.t0 = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        # A bytearray grows in place: `bytes +=` copied the whole session's output on every
        # chunk, before the chunk's time was taken, charging a big frame for Python's copy.
        self.out = bytearray()
        self.times = []  # when each chunk of output arrived (see key())
        self.bursts = self.frames = 0
        self.screen = Screen()

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
            # The time the byte arrived, before anything is done with it.
            now = time.perf_counter()
            if not chunk:
                return last
            self.out += chunk
            last = now
            self.times.append(last)

    def quiet(self, gap=0.5, timeout=20.0):
        """Reads until nothing has come for `gap` (the app is done with what it was doing, e.g.
        a catalogue arriving after the screen that names it), at most `timeout`; returns whether
        it got quiet. (`settle(0.0, gap)` returns at once when no byte is waiting.)"""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if not select.select([self.fd], [], [], gap)[0]:
                return True
            try:
                chunk = os.read(self.fd, 1 << 20)
            except OSError:
                return True
            if not chunk:
                return True
            self.out += chunk
        return False

    def shows(self, needle):
        """Whether `needle` is on screen: bytes anywhere in the output, or text (a str) in one
        line of the screen as it is now."""
        if isinstance(needle, bytes):
            return needle in self.out
        self.screen.feed(self.out)
        return needle in self.screen.text()

    def wait_for(self, needle, timeout=20.0):
        end = time.perf_counter() + timeout
        while not self.shows(needle) and time.perf_counter() < end:
            if select.select([self.fd], [], [], 0.05)[0]:
                try:
                    self.out += os.read(self.fd, 1 << 20)
                except OSError:
                    break
        return self.shows(needle)

    def key(self, data):
        """Sends a key; returns ms until the last byte of the frame it caused. Then
        `self.frames` is how many frames the answer was (FRAME_END counted) and `self.bursts`
        how many runs of output it came in, with no gap over FRAME_GAP inside one (a loaded
        machine may hand one frame over in two)."""
        self.settle(0.0, 0.01)
        start = time.perf_counter()
        before = len(self.out)
        os.write(self.fd, data)
        self.times = []
        last = self.settle(2.0)
        self.frames = self.out[before:].count(FRAME_END)
        self.bytes = len(self.out) - before
        self.bursts = 1 + sum(1 for a, b in zip(self.times, self.times[1:]) if b - a > FRAME_GAP)
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


# What a frame's write ends with after FRAME_END: the cursor hidden, or shown (when it was
# hidden) and put where the text is typed. One move at most: the next frame starts with one.
FRAME_TAIL = re.compile(rb"(?:\x1b\[\?25l|(?:\x1b\[\?25h)?\x1b\[[0-9]+;[0-9]+H)?")


def first_frame(argv, env, marker, settled_marker=None):
    """ms to the last byte of the first frame (the one that shows `marker`: up to the first
    FRAME_END after it and the cursor moves that close its write), and, when `settled_marker`
    is given, ms until that shows too (the topic list, after the sandbox started): (first,
    settled). A second frame that follows within FRAME_GAP (pcsr-tui drawing the catalogue it
    read from its cache) is not counted into the first."""
    p = Pty(argv, env)
    try:
        start = p.t0
        arrived = []  # (time, bytes received so far) per chunk
        deadline, done, end = start + 10, -1, None
        # Until the frame's write is all here: its cursor moves may come in a later chunk, cut
        # anywhere (a dozen bytes of an unfinished one), and come at once; a pause, or other
        # output (the next frame), ends it.
        while end is None or len(p.out) - end < 12:
            wait = deadline - time.perf_counter()
            if end is not None:
                wait = min(wait, FRAME_GAP)
            if wait <= 0 or not select.select([p.fd], [], [], wait)[0]:
                break
            try:
                chunk = os.read(p.fd, 1 << 20)
            except OSError:
                break
            now = time.perf_counter()
            if not chunk:
                break
            p.out += chunk
            arrived.append((now, len(p.out)))
            if done < 0:
                at = p.out.find(marker)
                done = p.out.find(FRAME_END, at) if at >= 0 else -1
            if done >= 0:
                end = FRAME_TAIL.match(p.out, done + len(FRAME_END)).end()
        if end is None:
            return None, None
        # The chunk that brought the frame's last byte.
        first = next(t for t, n in arrived if n >= end)
        settled = None
        if settled_marker is not None and p.wait_for(settled_marker, 10):
            settled = (time.perf_counter() - start) * 1000
        return (first - start) * 1000, settled
    finally:
        p.close()


def idle(argv, env, marker):
    p = Pty(argv, env)
    try:
        p.wait_for(marker, 10)
        p.quiet(0.5, 10)
        time.sleep(1.0)
        a = p.threads_ctx()
        time.sleep(5.0)
        b = p.threads_ctx()
        return (b - a) / 5.0, p.rss_mb()
    finally:
        p.close()


def keys(argv, env, ready, setup, sequence, count, keep=None, frames=None):
    """Latencies of `count` keys cycling through `sequence`, after `setup` keys; with `keep`
    (positions in `sequence`) only those keys' latencies, and with `frames` (a list) each kept
    key's (frames, bursts) is appended to it (see Pty.key)."""
    p = Pty(argv, env)
    try:
        if not p.wait_for(ready, 20):
            tail = p.out[-600:].decode("utf-8", "replace")
            raise SystemExit(f"{argv[0]}: never saw {ready!r} on screen; last output: {tail!r}")
        p.quiet(0.5, 10)
        for k, wait_for in setup:
            os.write(p.fd, k)
            if wait_for:
                p.wait_for(wait_for, 20)
            p.quiet(0.3, 5)
        out = []
        for i in range(count):
            ms = p.key(sequence[i % len(sequence)])
            if ms is None or (keep is not None and i % len(sequence) not in keep):
                continue
            out.append(ms)
            if frames is not None:
                frames.append((p.frames, p.bursts))
        return out
    finally:
        p.close()


def serve_sandbox(app, env, *flags):
    """`sandbox serve` on a free port: the process and its URL (None when it printed none)."""
    srv = subprocess.Popen([app, "sandbox", "serve", "--port", "0", *flags], env=env,
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


AZURE_SERVICES, AZURE_PER_SERVICE = 100, 100  # added to the built-in 44 services


def post_json(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


class Pristine:
    """A data dir as it was when this was made, put back before each session. A session's keys
    leave a draft (the topic a search chose), the next start restores it and says "Restored
    your unsent draft" for six seconds, and that notice's going away is a frame of its own: the
    key in flight at that moment was charged with it (one key in 111 of each Azure session
    after the first, 7-35 ms and two frames)."""

    def __init__(self, path):
        self.path, self.copy = path, path + ".pristine"
        shutil.rmtree(self.copy, ignore_errors=True)
        shutil.copytree(path, self.copy)

    def restore(self):
        shutil.rmtree(self.path, ignore_errors=True)
        shutil.copytree(self.copy, self.path)


class AzureCatalogue:
    """A `sandbox serve --control` grown to over 10,000 problem classifications, the TUI's
    environment pointed at it (PCSR_BASE_URL, PCSR_TOKEN, PCSR_BACKEND=azure, a subscription and
    the contact profile in config.toml), and the catalogue warmed into the app's store cache by a
    first launch that waits until every service's classifications have arrived."""

    def __init__(self, app, home):
        self.app, self.home = app, home
        os.makedirs(os.path.join(home, "cfg"), exist_ok=True)
        with open(os.path.join(home, "cfg", "config.toml"), "w") as f:
            f.write(AZURE_CONFIG)
        # The sandbox keeps its own state apart from the app's data dir.
        self.srv, url = serve_sandbox(app, env_for(os.path.join(home, "sandbox")), "--control")
        if not url:
            self.close()
            raise SystemExit("sandbox serve printed no URL")
        grown = post_json(f"{url}/_sandbox/azure/catalogue",
                          {"services": AZURE_SERVICES, "classificationsPerService": AZURE_PER_SERVICE})
        self.services, self.classifications = grown["services"], grown["problemClassifications"]
        self.env = env_for(home, PCSR_BASE_URL=url, PCSR_TOKEN="sandbox-token", PCSR_BACKEND="azure",
                           PCSR_SUBSCRIPTION=AZURE_SUB)
        self.argv = [app, "--backend", "azure"]
        # The Topic field's title once every service's classifications are in, read from the
        # screen: ratatui draws it in pieces over the "N of 144 services loaded" before it.
        self.ready = f" {self.classifications} in {self.services} services "
        p = Pty(self.argv, self.env)
        try:
            if not p.wait_for(self.ready, 60):
                tail = p.out[-600:].decode("utf-8", "replace")
                raise SystemExit(f"the Azure catalogue never loaded; last output: {tail!r}")
            p.quiet(0.5, 10)
        finally:
            p.close()
        self.pristine = Pristine(self.env["PCSR_DATA_DIR"])

    def fresh(self):
        """The environment, its data dir as the warming launch left it (see Pristine)."""
        self.pristine.restore()
        return self.env

    def close(self):
        self.srv.kill()
        self.srv.wait()


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


AZURE_FIGURES = ("azure-first", "azure-idle", "azure-topics", "azure-open")
FIGURES = ("first", "idle", "topics", "history", "endhome", "submit", "azure") + AZURE_FIGURES
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
    az_ff = az_shown = az_ff_builtin = az_ff_bare = az_idle = az_topic_runs = az_open_runs = []
    az_open_frames, az_topic_frames = [], []  # appended to by keys(): lists of their own
    sub = azure_sub = setup = az = None
    load = [os.getloadavg()[0]]
    try:
        sandbox_env = env_for(home)
        # Warm the data dir (sandbox state, topic cache) once.
        first_frame([app], sandbox_env, b"SANDBOX", b"Licensing")
        if only & set(AZURE_FIGURES):
            # The Azure figures' own data dir, its catalogue cached by a first launch.
            az = AzureCatalogue(app, tempfile.mkdtemp(prefix="pcsr-bench-azure-"))
        if "first" in only:
            runs_app = [first_frame([app], sandbox_env, b"SANDBOX", b"Licensing") for _ in range(a.runs)]
            ff_app = [f for f, _ in runs_app if f is not None]
            topics_app = [t for _, t in runs_app if t is not None]
        if "azure-first" in only:
            # With the 10k catalogue cached (the header names the service in the first frame),
            # and on the built-in sandbox, as a first `--backend azure` runs; the bare app's
            # launches in between, so a change in the machine's load hits all three alike.
            builtin = [app, "--backend", "azure"]
            first_frame(builtin, sandbox_env, b"SANDBOX")
            for _ in range(a.runs):
                f, t = first_frame(az.argv, az.fresh(), b"Azure", az.ready)
                az_ff, az_shown = az_ff + [f] * (f is not None), az_shown + [t] * (t is not None)
                f, _ = first_frame(builtin, sandbox_env, b"SANDBOX")
                az_ff_builtin = az_ff_builtin + [f] * (f is not None)
                f, _ = first_frame([bare], sandbox_env, b"keys")
                az_ff_bare = az_ff_bare + [f] * (f is not None)
        if "first" in only:
            ff_bare = [f for f, _ in (first_frame([bare], sandbox_env, b"keys") for _ in range(a.runs)) if f is not None]
        if "idle" in only:
            idle_app = [idle([app], sandbox_env, b"SANDBOX") for _ in range(max(2, a.runs // 2))]
        if "azure-idle" in only:
            az_idle = [idle(az.argv, az.fresh(), az.ready) for _ in range(max(2, a.runs // 2))]
        if only & {"idle", "azure-idle"}:
            idle_bare = [idle([bare], sandbox_env, b"keys") for _ in range(max(2, a.runs // 2))]
        load.append(os.getloadavg()[0])

        hist_home = tempfile.mkdtemp(prefix="pcsr-bench-hist-")
        if only & {"history", "endhome"}:
            subprocess.run([os.path.join(REL, "examples", "seed_history"), os.path.join(hist_home, "data"),
                            "100000"], check=True, stdout=subprocess.DEVNULL)
        srv = topics_server(10_000)
        url = f"http://127.0.0.1:{srv.server_address[1]}"
        topic_env = env_for(home, PCSR_BASE_URL=url, PCSR_TOKEN="bench-token")
        hist_env = env_for(hist_home, PCSR_BASE_URL=url, PCSR_TOKEN="bench-token")
        tab = b"\t"
        down = b"\x1b[B"
        # Each topic session starts where the first did, not with the draft the last one left.
        topic_data = Pristine(topic_env["PCSR_DATA_DIR"])
        for _ in range(a.runs):
            # Title -> Description -> Severity -> Topic, then type a letter and erase it: every
            # key filters all 10,000 topics again.
            if "topics" in only:
                topic_data.restore()
                topic_runs = topic_runs + [keys([app], topic_env, b"Topic31-support", [(tab, None)] * 3,
                                                [b"b", b"\x7f", b"p", b"\x7f", b"o", b"\x7f"], a.keys)]
            if "history" in only:
                hist_runs = hist_runs + [keys([app], hist_env, b"Topic31-support", [(b"\x12", b"100000")],
                                              [down], a.keys)]
            if "endhome" in only:
                endhome_runs = endhome_runs + [keys([app], hist_env, b"Topic31-support",
                                                    [(b"\x12", b"100000")], [b"\x1b[F", b"\x1b[H"], 40)]
            # Azure: Title -> ... -> Topic, where the services are listed; a letter searches
            # every classification of every service, Backspace goes back to the services.
            if "azure-topics" in only:
                az_topic_runs = az_topic_runs + [keys(az.argv, az.fresh(), az.ready, [(tab, None)] * 3,
                                                      [b"v", b"\x7f", b"c", b"\x7f", b"s", b"\x7f"], a.keys,
                                                      frames=az_topic_frames)]
            # Right opens the highlighted service (its classifications cached, so no request),
            # Left goes back, Down moves to the next service: the Right keys are kept.
            if "azure-open" in only:
                az_open_runs = az_open_runs + [keys(az.argv, az.fresh(), az.ready, [(tab, None)] * 3,
                                                    [b"\x1b[C", b"\x1b[D", down], a.keys, keep={0},
                                                    frames=az_open_frames)]
            if only & {"topics", "history", "endhome", "azure-topics", "azure-open"}:
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
        if az:
            az.close()
            shutil.rmtree(az.home, ignore_errors=True)
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
    if az:
        print(f"Azure: `--backend azure` on `sandbox serve --control` with {az.classifications} problem "
              f"classifications in {az.services} services, cached")
    if az_ff:
        row("Azure: launch -> first frame (10k cached)", az_ff, az_ff_bare, goal="<= 2x")
        row("Azure: launch -> every classification shown", az_shown, az_ff_bare)
    if az_ff_builtin:
        row("Azure: launch -> first frame, built-in sandbox", az_ff_builtin, az_ff_bare, goal="<= 2x")
    if az_idle:
        row("Azure: idle RSS, form on screen, 10k cached", [r for _, r in az_idle], [r for _, r in idle_bare],
            "MB", "<= 15 MB")
        row("Azure: idle wake-ups per second", [w for w, _ in az_idle], [w for w, _ in idle_bare], "/s", "<= 1/s")
    if az_topic_runs:
        row("Azure: key -> frame, topic search, 10k, p50", [pct(r, 50) for r in az_topic_runs], b50)
        row("Azure: key -> frame, topic search, 10k, p99", [pct(r, 99) for r in az_topic_runs], b99, goal="<= 2x")
    tally = lambda xs: ", ".join(f"{n}: {xs.count(n)}" for n in sorted(set(xs)))
    if az_topic_frames:
        frames = [f for f, _ in az_topic_frames]
        print(f"{'':<6}frames per key: max {max(frames)} ({tally(frames)}) over {len(frames)} keys")
    if az_open_runs:
        row("Azure: Right opens a cached service, p50", [pct(r, 50) for r in az_open_runs], b50)
        row("Azure: Right opens a cached service, p99", [pct(r, 99) for r in az_open_runs], b99,
            goal="1 frame")
        frames = [f for f, _ in az_open_frames]
        bursts = [b for _, b in az_open_frames]
        print(f"{'':<6}frames per answer to Right: max {max(frames)} ({tally(frames)}); written in "
              f"bursts: max {max(bursts)} ({tally(bursts)}); over {len(frames)} keys")
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
          f"End/Home {[len(r) for r in endhome_runs]}, Azure search {[len(r) for r in az_topic_runs]}, "
          f"Azure open {[len(r) for r in az_open_runs]}, bare {[len(r) for r in bare_runs]}")
    print(f"binary size: {os.path.getsize(app) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
