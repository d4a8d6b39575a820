//! `--jq EXPR`: a jq filter applied in-process (the jaq crates) to a command's JSON output, as
//! gh's `--jq` does: string results print raw, anything else as one line of JSON.

use std::sync::OnceLock;

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data};
use jaq_json::Val;

/// Why a jq filter could not be used.
#[derive(Debug, thiserror::Error)]
pub enum JqError {
    /// The filter does not parse or names an unknown filter/variable.
    #[error("--jq: {message} at column {column} of `{code}`: fix the expression (jq syntax)")]
    Syntax {
        /// What is wrong.
        message: String,
        /// 1-based column (in characters) of the problem.
        column: usize,
        /// The expression as given.
        code: String,
    },
    /// The filter failed while running on the output.
    #[error("--jq: {0} (the filter ran but failed on this output; try it on the plain --json output)")]
    Runtime(String),
    /// The output could not be handed to jq (should not happen: it is our own JSON).
    #[error("--jq: cannot read the command's JSON output: {0}")]
    Input(String),
}

/// The filter chosen for this run; set once before the command starts.
static FILTER: OnceLock<String> = OnceLock::new();

/// Remembers the `--jq` expression for this process. Process-wide because it only shapes how
/// JSON is printed, which keeps every command's signature unchanged.
pub fn set_filter(code: String) {
    let _ = FILTER.set(code);
}

/// The `--jq` expression of this run, if any.
pub fn filter() -> Option<&'static str> {
    FILTER.get().map(String::as_str)
}

/// Prints a command's JSON output: pretty, or through the `--jq` filter when one was given.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let Some(code) = filter() else {
        return super::output::emit_line(&super::output::json_text(value)?);
    };
    // Streamed, like jq: a filter with many (or endless) results prints as it goes. Server text
    // is defused the same way as in plain --json, and a closed pipe stops quietly.
    let mut closed = None;
    execute(
        code,
        &serde_json::to_string(value)?,
        Some(&mut |line: String| {
            if closed.is_none()
                && let Err(e) = super::output::emit_line(&super::output::defuse(&line))
            {
                closed = Some(e);
            }
        }),
    )?;
    closed.map_or(Ok(()), Err)
}

/// The 1-based character column of `part` inside `code`, when `part` points into it.
fn column(code: &str, part: &str) -> usize {
    let start = code.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    let offset = if at >= start && at <= start + code.len() {
        at - start
    } else {
        code.len()
    };
    code.get(..offset)
        .map_or(code.chars().count(), |s| s.chars().count())
        + 1
}

fn syntax(code: &str, message: String, part: &str) -> JqError {
    JqError::Syntax {
        message,
        column: column(code, part),
        code: code.to_string(),
    }
}

/// Compiles `code` and runs it on `input`, returning each result as printed text.
pub fn run(code: &str, input: &str) -> Result<Vec<String>, JqError> {
    let mut out = Vec::new();
    execute(code, input, Some(&mut |line| out.push(line)))?;
    Ok(out)
}

/// Compiles `code`; with `emit`, runs it on `input` and hands over each result as printed text.
fn execute(code: &str, input: &str, emit: Option<&mut dyn FnMut(String)>) -> Result<(), JqError> {
    let defs = jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs());
    let funs = jaq_core::funs().chain(jaq_std::funs()).chain(jaq_json::funs());
    let arena = Arena::default();
    let modules = Loader::new(defs)
        .load(&arena, File { code, path: () })
        .map_err(|errs| load_error(code, errs))?;
    let filter = Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errs| {
            let first = errs.into_iter().flat_map(|(_, e)| e).next();
            match first {
                Some((name, undefined)) => {
                    syntax(code, format!("undefined {} `{name}`", undefined.as_str()), name)
                }
                None => syntax(code, "cannot compile".into(), ""),
            }
        })?;
    let Some(emit) = emit else { return Ok(()) };
    let input = jaq_json::read::parse_single(input.as_bytes()).map_err(|e| JqError::Input(e.to_string()))?;
    let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
    for result in filter.id.run((ctx, input)) {
        // `halt` and `halt_error` stop the filter; report them like any other failure rather
        // than letting jaq end the process.
        let value = result.map_err(|exn| match exn.get_err() {
            Ok(err) => JqError::Runtime(err.to_string()),
            Err(exn) => JqError::Runtime(match exn.get_halt() {
                Ok(code) => format!("the filter halted with exit code {code}"),
                Err(_) => "the filter stopped unexpectedly".to_string(),
            }),
        })?;
        emit(print(&value));
    }
    Ok(())
}

/// Checks that `code` compiles, before any network call is made. Nothing is run.
pub fn check(code: &str) -> Result<(), JqError> {
    execute(code, "null", None)
}

fn load_error(code: &str, errs: jaq_core::load::Errors<&str, ()>) -> JqError {
    use jaq_core::load::Error;
    for (_, err) in errs {
        match err {
            Error::Lex(list) => {
                if let Some((expect, found)) = list.into_iter().next() {
                    return syntax(code, format!("expected {}", expect.as_str()), found);
                }
            }
            Error::Parse(list) => {
                if let Some((expect, found)) = list.into_iter().next() {
                    let what = if found.is_empty() {
                        "the end".to_string()
                    } else {
                        format!("`{found}`")
                    };
                    return syntax(
                        code,
                        format!("expected {} but found {what}", expect.as_str()),
                        found,
                    );
                }
            }
            Error::Io(list) => {
                if let Some((path, why)) = list.into_iter().next() {
                    return syntax(code, format!("cannot load module {path}: {why}"), path);
                }
            }
        }
    }
    syntax(code, "cannot parse".into(), "")
}

/// gh's convention: a string result prints raw, anything else as compact JSON.
fn print(value: &Val) -> String {
    match value {
        Val::TStr(bytes) | Val::BStr(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_print_raw_and_other_values_as_json() {
        let input = r#"{"items":[{"id":"1","n":2},{"id":"2","n":3}]}"#;
        assert_eq!(run(".items[].id", input).unwrap(), vec!["1", "2"]);
        assert_eq!(run(".items | map(.n)", input).unwrap(), vec!["[2,3]"]);
        assert_eq!(run(".items[0]", input).unwrap(), vec![r#"{"id":"1","n":2}"#]);
    }

    #[test]
    fn syntax_error_names_the_column() {
        let err = check(".items[").unwrap_err();
        match err {
            JqError::Syntax { column, .. } => assert_eq!(column, 8, "{err}"),
            other => panic!("not a syntax error: {other}"),
        }
        let err = check(".a | nosuchfilter").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("nosuchfilter") && text.contains("column 6"),
            "{text}"
        );
    }

    #[test]
    fn runtime_error_carries_jaqs_message() {
        let err = run(".a.b", r#"{"a":"x"}"#).unwrap_err();
        assert!(matches!(err, JqError::Runtime(_)), "{err}");
        assert!(err.to_string().contains("cannot index"), "{err}");
        assert!(check(".a.b").is_ok());
        // Checking only compiles: an endless filter must not run.
        assert!(check("repeat(.)").is_ok());
    }
}
