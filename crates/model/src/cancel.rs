//! Cancellation shared by every engine: who asks for work keeps a
//! [`Cancel`], the work holds a clone and looks at it between steps. A
//! cancelled engine stops within one step and answers its own `Cancelled`
//! error; what it had computed is dropped, never returned as a result.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A cancellation token: cheap to clone, every clone sees [`Cancel::cancel`];
/// one made with [`Cancel::with_time_limit`] also reads as cancelled once
/// its time is up (a wall-clock limit on a piece of work).
#[derive(Debug, Clone, Default)]
pub struct Cancel {
    flag: Arc<AtomicBool>,
    deadline: Option<Instant>,
}

impl Cancel {
    /// A token nobody has cancelled yet.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// A token that reads as cancelled once `limit` has passed from now
    /// (or when cancelled before).
    pub fn with_time_limit(limit: Duration) -> Cancel {
        Cancel {
            flag: Arc::default(),
            deadline: Instant::now().checked_add(limit),
        }
    }

    /// Ask every holder to stop.
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    /// Whether [`Cancel::cancel`] was called on this token or a clone, or
    /// its time limit has passed.
    #[inline]
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::Relaxed) || self.time_limit_passed()
    }

    /// Whether the token has a time limit and it has passed.
    #[inline]
    pub fn time_limit_passed(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// Two tokens are equal when they are clones of one another (settings that
/// hold a token compare equal only when they would stop together).
impl PartialEq for Cancel {
    fn eq(&self, other: &Cancel) -> bool {
        Arc::ptr_eq(&self.flag, &other.flag) && self.deadline == other.deadline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_see_a_cancel() {
        let a = Cancel::new();
        let b = a.clone();
        assert!(!b.is_cancelled());
        a.cancel();
        assert!(b.is_cancelled());
        assert_eq!(a, b);
        assert_ne!(a, Cancel::new());
    }

    #[test]
    fn a_time_limit_cancels_when_it_passes() {
        let quick = Cancel::with_time_limit(Duration::ZERO);
        assert!(quick.is_cancelled() && quick.time_limit_passed());
        let slow = Cancel::with_time_limit(Duration::from_secs(3600));
        assert!(!slow.is_cancelled() && !slow.time_limit_passed());
        slow.cancel();
        assert!(slow.is_cancelled() && !slow.time_limit_passed());
        assert!(!Cancel::new().time_limit_passed());
    }
}
