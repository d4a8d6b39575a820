#!/usr/bin/env python3
"""The Partner Center list at scale, measured the user's way: in a real 120x40 PTY.

    python3 benches/service_list.py [--app PATH] [--count N] [--no-build]

Starts `pcsr-tui sandbox serve` on a free port with N (10,000) requests, opens the TUI against
it, goes to the history and Tabs to the Partner Center list, then:
  - Down through the first rows: key -> last byte of the frame, p50/p99
  - PageDown until the end of the list (pages are read from the service as the user nears
    them, never all at once): key -> frame p50/p99/max, keys pressed, time to the end
  - RSS with all N rows read
and prints each beside the bare ratatui app (examples/bare.rs) in the same run, as
user_figures.py does for the local list.
"""
import argparse, fcntl, json, os, shutil, struct, subprocess, sys, tempfile, termios, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import user_figures as uf  # noqa: E402  (the PTY helpers)


def serve(app, home, count):
    srv = subprocess.Popen([app, "sandbox", "serve", "--port", "0", "--control"], env=uf.env_for(home),
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = srv.stdout.readline()
    url = next((w for w in line.split() if w.startswith("http://")), "").rstrip("/.,")
    if not url:
        srv.kill()
        raise SystemExit(f"sandbox serve did not say where it listens: {line!r}")
    req = urllib.request.Request(f"{url}/_sandbox/servicerequests", data=json.dumps({"count": count}).encode(),
                                 headers={"Content-Type": "application/json",
                                          "Authorization": "Bearer sandbox-token"}, method="POST")
    urllib.request.urlopen(req, timeout=60).read()
    return srv, url


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--app", default=os.path.join(uf.REL, "pcsr-tui"))
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--keys", type=int, default=200)
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()
    if not a.no_build:
        uf.build()
    app, bare = os.path.abspath(a.app), os.path.join(uf.REL, "examples", "bare")
    home = tempfile.mkdtemp(prefix="pcsr-bench-list-")
    srv, url = serve(app, home, a.count)
    try:
        env = uf.env_for(home, PCSR_BASE_URL=url, PCSR_TOKEN="sandbox-token")
        p = uf.Pty([app], env)
        try:
            if not p.wait_for(b"New request", 20):
                raise SystemExit("the TUI never showed the form")
            p.settle(0.0, 0.5)
            os.write(p.fd, b"\x12")
            p.wait_for(b"Local", 10)
            p.settle(0.0, 0.3)
            os.write(p.fd, b"\t")
            p.wait_for(b"Partner Center 200", 20)
            p.settle(0.0, 0.3)
            down = [p.key(b"\x1b[B") for _ in range(a.keys)]
            down = [d for d in down if d is not None]
            page, start = [], time.perf_counter()
            # About 34 rows a page here; a few more presses than that take it to the end.
            for _ in range(a.count // 30 + 20):
                ms = p.key(b"\x1b[6~")
                if ms is not None:
                    page.append(ms)
            to_end = time.perf_counter() - start
            # Frames carry only changed cells; a resize makes the app draw the whole screen.
            fcntl.ioctl(p.fd, termios.TIOCSWINSZ, struct.pack("HHHH", uf.ROWS - 1, uf.COLS, 0, 0))
            p.settle(1.0, 0.3)
            fcntl.ioctl(p.fd, termios.TIOCSWINSZ, struct.pack("HHHH", uf.ROWS, uf.COLS, 0, 0))
            mark = len(p.out)
            p.settle(1.0, 0.3)
            full = p.out[mark:]
            done = f"Partner Center {a.count} ".encode() in full and b"Sandbox request 1 " in full
            rss = p.rss_mb()
        finally:
            p.close()
        b = uf.Pty([bare], uf.env_for(home))
        try:
            b.wait_for(b"keys", 10)
            b.settle(0.0, 0.3)
            bare_keys = [k for k in (b.key(b"\x1b[B") for _ in range(a.keys)) if k is not None]
            bare_rss = b.rss_mb()
        finally:
            b.close()
    finally:
        srv.kill()
        srv.wait()
        shutil.rmtree(home, ignore_errors=True)

    print(f"\npcsr-tui: {app}\nPartner Center list of {a.count} requests (sandbox), PTY {uf.COLS}x{uf.ROWS}\n")
    print(f"{'figure':<46} {'pcsr-tui':>13} {'baseline':>13} {'ratio':>6}   goal")
    bp50, bp99 = uf.pct(bare_keys, 50), uf.pct(bare_keys, 99)
    # One session each: `row` takes a list of per-run values.
    uf.row("key -> frame, Down, p50", [uf.pct(down, 50)], [bp50])
    uf.row("key -> frame, Down, p99", [uf.pct(down, 99)], [bp99], goal="<= 2 ms")
    uf.row("key -> frame, PageDown to the end, p50", [uf.pct(page, 50)], [bp50])
    uf.row("key -> frame, PageDown to the end, p99", [uf.pct(page, 99)], [bp99], goal="<= 2 ms")
    uf.row("key -> frame, PageDown to the end, max", [max(page)], [bp99])
    uf.row(f"RSS with all {a.count} rows read", [rss], [bare_rss], "MB")
    print()
    print(f"{len(page)} PageDown presses in {to_end:.1f} s; at the end, all {a.count} rows read and the "
          f"last one on screen: {'yes' if done else 'NO'} (pages of 200 read on the way, never all at once)")
    print(f"samples: Down {len(down)}, PageDown {len(page)}, bare {len(bare_keys)}")


if __name__ == "__main__":
    main()
