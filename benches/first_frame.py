#!/usr/bin/env python3
"""Time to first frame of the real TUI in a pseudo-terminal (sandbox mode, fresh data dir).

Run after `cargo build --release`:  python3 benches/first_frame.py [runs]
Prints the median/min/max time until the status bar is drawn and until the topic list shows.
"""
import fcntl, os, pty, select, signal, statistics, struct, sys, tempfile, termios, time

BIN = os.path.join(os.path.dirname(__file__), "..", "target", "release", "pcsr-tui")


def once(home):
    pid, fd = pty.fork()
    if pid == 0:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PCSR_")}
        env.update(TERM="xterm-256color", HOME=home, PCSR_DATA_DIR=home + "/data",
                   PCSR_CONFIG_DIR=home + "/cfg", PCSR_KEYRING="none")
        os.execve(BIN, ["pcsr-tui"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start, buf, first, topics = time.perf_counter(), b"", None, None
    while time.perf_counter() - start < 10 and not (first and topics):
        if select.select([fd], [], [], 0.01)[0]:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                break
            now = (time.perf_counter() - start) * 1000
            # Single words: ratatui skips unchanged cells, so phrases may be split by cursor moves.
            if first is None and b"SANDBOX" in buf:
                first = now
            if topics is None and b"Licensing" in buf:
                topics = now
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return first, topics


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory() as home:
        results = [once(home) for _ in range(runs)]
    for label, values in (("first frame", [r[0] for r in results]), ("topics shown", [r[1] for r in results])):
        values = [v for v in values if v is not None]
        if not values:
            print(f"{label}: never seen")
            continue
        print(f"{label}: median {statistics.median(values):.1f} ms, min {min(values):.1f}, max {max(values):.1f} ({len(values)} runs)")


if __name__ == "__main__":
    main()
