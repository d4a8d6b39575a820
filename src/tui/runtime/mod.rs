//! The TUI's contact with the outside: the run loop and its effect runner (`app`), the terminal
//! and its restoring guard (`terminal`) with the bytes of a frame (`cells`), the input task
//! (`input`), and the side jobs that leave the app for a moment: `$EDITOR` (`editor`,
//! `external`), the clipboard and the browser.

pub(crate) mod app;
pub mod cells;
pub mod clipboard;
pub(crate) mod editor;
pub(crate) mod external;
pub(crate) mod input;
pub mod opener;
pub mod paths;
pub(crate) mod terminal;
