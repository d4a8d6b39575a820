//! `pcsr-tui man`: pcsr-tui(1) with ENVIRONMENT and KEYS sections, plus one page per subcommand
//! so the SEE ALSO style references (pcsr-tui-submit(1), ...) resolve.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use clap::CommandFactory;
use clap_mangen::Man;

use super::args::AFTER_HELP;
use super::{Cli, Exit};
use crate::tui::keys::{self, BINDINGS};

/// Escapes text for roff: backslashes, and a leading `.` or `'` that would read as a request.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// The command tree, built so subcommands carry their full names (pcsr-tui-submit).
fn command() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// The ENVIRONMENT/EXIT STATUS text (clap's after-help) and the TUI keys, as roff.
fn extra_sections() -> String {
    let mut out = String::from(".SH ENVIRONMENT\n.nf\n");
    for line in AFTER_HELP.lines() {
        out.push_str(&roff(line));
        out.push('\n');
    }
    out.push_str(
        ".fi\n.SH KEYS\nKeys of the full\\-screen interface (run without a subcommand), as shipped; \
         the [keys] section of config.toml changes them by command name (see README).\n",
    );
    for binding in BINDINGS {
        out.push_str(&format!(
            ".TP\n\\fB{}\\fR ({})\n{}\n",
            roff(&keys::keys_label(binding)),
            roff(binding.scope.label()),
            roff(binding.help)
        ));
    }
    out
}

/// Renders pcsr-tui(1): clap's sections without its EXTRA one, then ours.
fn render_root(cmd: clap::Command, w: &mut dyn Write) -> std::io::Result<()> {
    // Without after_help clap_mangen leaves out its "EXTRA" section; the same text comes back
    // below under proper headings.
    let man = Man::new(cmd.after_help(None::<&str>).after_long_help(None::<&str>));
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    man.render_subcommands_section(w)?;
    w.write_all(extra_sections().as_bytes())?;
    man.render_version_section(w)
}

/// `pcsr-tui man`: pcsr-tui(1) on standard output.
pub fn print(w: &mut dyn Write) -> anyhow::Result<()> {
    render_root(command(), w)?;
    Ok(())
}

fn write_page(
    dir: &Path,
    name: &str,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let path = dir.join(name);
    let mut file = std::fs::File::create(&path).map_err(|e| {
        Exit::usage(format!(
            "cannot write {}: {e}; pass a writable --dir",
            path.display()
        ))
    })?;
    render(&mut file).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn write_subcommands(cmd: &clap::Command, dir: &Path, written: &mut Vec<String>) -> anyhow::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_subcommands(sub, dir, written)?;
        let man = Man::new(sub.clone());
        let name = man.get_filename();
        write_page(dir, &name, |w| man.render(w))?;
        written.push(name);
    }
    Ok(())
}

/// `pcsr-tui man --dir DIR`: pcsr-tui.1 and a page per subcommand; prints what it wrote.
pub fn write_all(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Exit::usage(format!(
            "cannot create {}: {e}; pass a writable --dir",
            dir.display()
        ))
    })?;
    let cmd = command();
    let mut written = Vec::new();
    write_subcommands(&cmd, dir, &mut written)?;
    write_page(dir, "pcsr-tui.1", |w| render_root(cmd, w))?;
    written.push("pcsr-tui.1".into());
    written.sort();
    for name in &written {
        println!("{}", dir.join(name).display());
    }
    Ok(())
}
