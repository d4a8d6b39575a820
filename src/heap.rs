//! The C heap (glibc's malloc on Linux), set up for an interactive app that reads one large
//! catalogue in a burst and then holds it. Elsewhere these do nothing.

/// One malloc arena for the whole process; call before any thread starts. glibc gives each
/// thread that allocates an arena of its own (up to eight per core) and does not reuse memory
/// freed in one arena for another: Azure's catalogue read on the store thread, parsed on a
/// runtime thread and indexed on the UI thread left about 2 MB mapped in arenas no thread
/// used again. The app's threads seldom allocate at the same moment, so sharing one costs
/// nothing a user can feel.
pub fn one_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of the allocator; nothing else runs yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Gives the heap's free pages back to the system, after a burst of allocations has been
/// freed (the catalogue loaded and indexed): glibc keeps them mapped for reuse otherwise.
/// Walks the whole heap: blocking work, for a thread that may block.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes the allocator's own locks; it frees only free memory.
    unsafe {
        libc::malloc_trim(0);
    }
}
