//! Ledger files on disk: one writer at a time, atomic replacement, the
//! previous version kept, and a broken file never overwritten.
//!
//! - **Lock**: `LEDGER.lock`, created with `O_CREAT | O_EXCL`
//!   ([`std::fs::OpenOptions::create_new`]), holding the writer's pid. A
//!   second writer polls until it is gone or the wait runs out, then fails
//!   with [`PoamError::Locked`]. The lock is removed when the session ends
//!   (also on error); a crashed writer leaves it for a person to delete.
//! - **Atomic write**: the new ledger goes to a temporary file beside the
//!   ledger, is flushed to disk, the current ledger is copied to
//!   `LEDGER.bak`, and the temporary file is renamed over the ledger.
//! - **Corruption**: the ledger is parsed before anything is written; a
//!   file that does not parse stops the run with a diagnostic at its line.

use super::error::PoamError;
use super::merge::system_key;
use super::model::Ledger;
use super::oscal;
use crate::result::SystemInfo;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// `LEDGER.suffix` beside the ledger.
fn sibling(ledger: &Path, suffix: &str) -> PathBuf {
    let mut name = ledger.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    ledger.with_file_name(name)
}

pub fn lock_path(ledger: &Path) -> PathBuf {
    sibling(ledger, ".lock")
}

pub fn backup_path(ledger: &Path) -> PathBuf {
    sibling(ledger, ".bak")
}

/// An exclusive claim on a ledger; released on drop.
#[derive(Debug)]
pub struct LedgerLock {
    path: PathBuf,
}

impl LedgerLock {
    /// Takes the lock of `ledger`, waiting up to `wait` for another holder.
    pub fn acquire(ledger: &Path, wait: Duration) -> Result<LedgerLock, PoamError> {
        let path = lock_path(ledger);
        let started = Instant::now();
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    let _ = writeln!(f, "pid {}", std::process::id());
                    return Ok(LedgerLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if started.elapsed() >= wait {
                        let holder = fs::read_to_string(&path).map(|s| s.trim().to_string()).unwrap_or_default();
                        return Err(PoamError::Locked {
                            path: ledger.display().to_string(),
                            lock: path.display().to_string(),
                            holder: if holder.is_empty() { "unknown holder".into() } else { holder },
                            waited_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                        });
                    }
                    std::thread::sleep(Duration::from_millis(50).min(wait.saturating_sub(started.elapsed()).max(Duration::from_millis(1))));
                }
                Err(e) => return Err(PoamError::io(&path, format!("cannot create the lock file: {e}"))),
            }
        }
    }
}

impl Drop for LedgerLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Reads a ledger that must exist.
pub fn read(path: &Path) -> Result<Ledger, PoamError> {
    let text = fs::read_to_string(path).map_err(|e| PoamError::io(path, e))?;
    oscal::from_json(&path.display().to_string(), &text)
}

/// Reads a ledger, or `None` when there is no file yet.
pub fn read_if_exists(path: &Path) -> Result<Option<Ledger>, PoamError> {
    if path.exists() {
        read(path).map(Some)
    } else {
        Ok(None)
    }
}

/// Writes `ledger` to `path` atomically, keeping the previous file as `LEDGER.bak`.
/// The caller holds the lock (`_lock` proves it).
pub fn write(path: &Path, ledger: &Ledger, _lock: &LedgerLock) -> Result<(), PoamError> {
    let text = oscal::to_json(ledger);
    let tmp = sibling(path, &format!(".tmp-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if path.exists() {
            fs::copy(path, backup_path(path))?;
        }
        fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        PoamError::io(path, format!("cannot write the ledger: {e}"))
    })
}

/// A ledger opened for one update: locked, read and checked before the scan
/// runs, written after it.
#[derive(Debug)]
pub struct LedgerSession {
    path: PathBuf,
    lock: LedgerLock,
    /// The ledger as it was (`None`: no file yet).
    pub previous: Option<Ledger>,
}

impl LedgerSession {
    /// Locks and reads `path`, failing on a broken ledger or one of another system.
    pub fn open(path: &Path, system: &SystemInfo, wait: Duration) -> Result<LedgerSession, PoamError> {
        let lock = LedgerLock::acquire(path, wait)?;
        let previous = read_if_exists(path)?;
        if let Some(l) = &previous {
            let scan = system_key(system);
            if l.system_id != scan {
                return Err(PoamError::SystemMismatch { path: path.display().to_string(), ledger: l.system_id.clone(), scan });
            }
        }
        Ok(LedgerSession { path: path.to_path_buf(), lock, previous })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the updated ledger and releases the lock.
    pub fn save(self, ledger: &Ledger) -> Result<(), PoamError> {
        write(&self.path, ledger, &self.lock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_then_fails_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("poam.json");
        let first = LedgerLock::acquire(&ledger, Duration::ZERO).unwrap();
        assert!(lock_path(&ledger).exists());
        let started = Instant::now();
        let err = LedgerLock::acquire(&ledger, Duration::from_millis(200)).unwrap_err();
        assert!(started.elapsed() >= Duration::from_millis(200));
        let PoamError::Locked { holder, .. } = &err else { panic!("{err:?}") };
        assert_eq!(holder, &format!("pid {}", std::process::id()));
        // Released while the second waits: it gets the lock.
        let waiter = {
            let ledger = ledger.clone();
            std::thread::spawn(move || LedgerLock::acquire(&ledger, Duration::from_secs(10)).map(|_| ()))
        };
        std::thread::sleep(Duration::from_millis(100));
        drop(first);
        waiter.join().unwrap().unwrap();
        assert!(!lock_path(&ledger).exists(), "released on drop");
    }
}
