//! Group commit (DESIGN.md, "durable before acknowledged, cheaply"): the
//! intake's transactional work is handed to writer tasks, each of which
//! takes every message waiting at that moment (up to a bound), runs each in
//! its own savepoint of one transaction, commits once — one fsync for the
//! group — and only then answers each sender. A message whose work fails
//! is rolled back to its savepoint and answered with its error; the others
//! of the group are unaffected. If the commit itself fails, every message
//! of the group is answered with that error and none is kept, so an answer
//! is never given for work that is not durable.
//!
//! SQLite has one writer (it has one writer connection), and it runs on a
//! thread of its own: the store drives SQLite's writer synchronously
//! (issue #16), so a group's statements and its commit's fsync run there
//! without a hand-off per statement and without holding up the threads
//! that serve HTTP. PostgreSQL has several writer tasks on the runtime, so
//! that groups commit side by side. A job may name an
//! affinity: while a job of an affinity is unanswered, every other job of
//! it goes to the same writer, so that jobs bound to change the same hot
//! rows (a bonded book's busiest lines) follow each other in one writer's
//! transactions instead of waiting for each other's locks across groups
//! until their commits; an affinity with no job unanswered goes to the
//! writer with the fewest such jobs (so hot keys spread over the writers as
//! load does, not by a fixed hash). Jobs without one go to whichever writer
//! is free.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError};

use kuajing_core::timestamp::Timestamp;
use kuajing_store::{Backend, Conn, Store, StoreError};
use tokio::sync::{Mutex, mpsc, oneshot};

use super::receipts_out::{Owed, deliver};
use kuajing_registry::error::{Error, Result};

/// What a job leaves: the answer for its sender, and what it owes (its
/// receipts and shared events), written for the whole group at its end —
/// one statement and one take of the advisory lock that orders the
/// outbox, held only from there to the commit.
#[derive(Debug)]
pub struct Done<T> {
    /// The answer.
    pub answer: T,
    /// What the job owes, in order.
    pub owed: Vec<Owed>,
}

/// A boxed future borrowing the connection.
pub type JobFuture<'c, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'c>>;

/// The transactional work of one message, given the group's connection.
pub type Job<T> = Box<dyn for<'c> FnOnce(&'c mut Conn) -> JobFuture<'c, Done<T>> + Send>;

struct Submission<T> {
    job: Job<T>,
    answer: oneshot::Sender<Result<T>>,
}

/// The most messages in one group (PostgreSQL keeps 64 subtransactions
/// per transaction in its fast path; a group's savepoints stay below).
const MAX_GROUP: usize = 32;

/// Hands jobs to the writer tasks.
pub struct Committer<T> {
    sender: mpsc::Sender<Submission<T>>,
    /// One queue per writer, for jobs with an affinity (PostgreSQL only).
    own: Vec<mpsc::Sender<Submission<T>>>,
    /// Which writer each affinity with a job unanswered is on, and how
    /// many jobs with an affinity each writer has unanswered.
    routes: Arc<Routes>,
}

/// The writers of the affinities with jobs unanswered.
#[derive(Debug, Default)]
struct Routes {
    /// Affinity → (writer, its jobs unanswered).
    held: std::sync::Mutex<HashMap<u64, (usize, usize)>>,
    /// Per writer, its jobs with an affinity unanswered.
    load: Vec<AtomicUsize>,
}

impl Routes {
    /// The writer for a job of `key`: the one its unanswered jobs are on,
    /// or else the least loaded; counted until the [`Route`] is dropped.
    fn take(self: &Arc<Self>, key: u64) -> Route {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        let writer = match held.get_mut(&key) {
            Some((writer, jobs)) => {
                *jobs += 1;
                *writer
            }
            None => {
                let writer = (0..self.load.len())
                    .min_by_key(|w| self.load[*w].load(Ordering::Relaxed))
                    .unwrap_or(0);
                held.insert(key, (writer, 1));
                writer
            }
        };
        self.load[writer].fetch_add(1, Ordering::Relaxed);
        Route {
            routes: self.clone(),
            key,
            writer,
        }
    }
}

/// A job's place on its affinity's writer, given up when the job is
/// answered (or its sender stops waiting).
struct Route {
    routes: Arc<Routes>,
    key: u64,
    writer: usize,
}

impl Drop for Route {
    fn drop(&mut self) {
        let mut held = self
            .routes
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((_, jobs)) = held.get_mut(&self.key) {
            *jobs -= 1;
            if *jobs == 0 {
                held.remove(&self.key);
            }
        }
        self.routes.load[self.writer].fetch_sub(1, Ordering::Relaxed);
    }
}

impl<T: Send + 'static> Committer<T> {
    /// Starts the writer tasks on `store` (one on SQLite, four on
    /// PostgreSQL); they end when the committer is dropped.
    pub fn start(store: Store) -> Committer<T> {
        let (sender, receiver) = mpsc::channel(4 * MAX_GROUP);
        let receiver = Arc::new(Mutex::new(receiver));
        let writers = match store.backend() {
            Backend::Sqlite => 1,
            Backend::Postgres => 4,
        };
        let mut own = Vec::new();
        for _ in 0..writers {
            let (own_sender, own_receiver) = mpsc::channel(MAX_GROUP);
            own.push(own_sender);
            let queues = Queues {
                shared: receiver.clone(),
                own: own_receiver,
            };
            match store.backend() {
                Backend::Sqlite => on_own_thread(store.clone(), queues),
                Backend::Postgres => {
                    tokio::spawn(write_groups(store.clone(), queues));
                }
            }
        }
        let routes = Arc::new(Routes {
            held: std::sync::Mutex::new(HashMap::new()),
            load: (0..writers).map(|_| AtomicUsize::new(0)).collect(),
        });
        Committer {
            sender,
            own,
            routes,
        }
    }

    /// Runs `job` in the next group; its result once the group committed.
    pub async fn run(&self, job: Job<T>) -> Result<T> {
        self.run_with(job, None).await
    }

    /// Runs `job` in the next group of the writer its `affinity` is on
    /// (any writer when `None`); its result once the group committed.
    pub async fn run_with(&self, job: Job<T>, affinity: Option<u64>) -> Result<T> {
        let (answer, answered) = oneshot::channel();
        // Held until this function returns or its caller stops waiting.
        let route = match affinity {
            Some(key) if self.own.len() > 1 => Some(self.routes.take(key)),
            _ => None,
        };
        let queue = match &route {
            Some(route) => &self.own[route.writer],
            None => &self.sender,
        };
        queue
            .send(Submission { job, answer })
            .await
            .map_err(|_| Error::Internal("the committer stopped".to_owned()))?;
        answered
            .await
            .map_err(|_| Error::Internal("the committer dropped a job".to_owned()))?
    }
}

/// A writer's queues: the shared one, and its own for jobs with an
/// affinity.
struct Queues<T> {
    shared: Arc<Mutex<mpsc::Receiver<Submission<T>>>>,
    own: mpsc::Receiver<Submission<T>>,
}

impl<T> Queues<T> {
    /// The next group: the first job to arrive on either queue, then what
    /// else waits, up to [`MAX_GROUP`] — taken from the shared queue while
    /// its lock is held (idle writers wait on that lock, so a later
    /// `try_lock` would mostly fail and leave groups of one), and from the
    /// writer's own queue. `None` when the committer is gone.
    async fn next_group(&mut self) -> Option<Vec<Submission<T>>> {
        let shared = self.shared.clone();
        let mut group = tokio::select! {
            biased;
            Some(job) = self.own.recv() => {
                let mut group = vec![job];
                if let Ok(mut queue) = shared.try_lock() {
                    fill(&mut group, &mut queue);
                }
                group
            }
            // Cancel-safe: the only awaits are the lock and `recv`; once a
            // job is received the block completes without yielding.
            group = async {
                let mut queue = shared.lock().await;
                let first = queue.recv().await?;
                let mut group = vec![first];
                fill(&mut group, &mut queue);
                Some(group)
            } => group?,
        };
        fill(&mut group, &mut self.own);
        Some(group)
    }
}

/// Adds what waits on `queue` to `group`, up to [`MAX_GROUP`].
fn fill<T>(group: &mut Vec<Submission<T>>, queue: &mut mpsc::Receiver<Submission<T>>) {
    while group.len() < MAX_GROUP {
        match queue.try_recv() {
            Ok(next) => group.push(next),
            Err(_) => break,
        }
    }
}

/// Starts a writer on a thread of its own, with a single-threaded runtime
/// for the group's few true waits (the writer's lock, the answers). If
/// the thread cannot start, the queues close with it and every job is
/// answered that the committer stopped.
fn on_own_thread<T: Send + 'static>(store: Store, queues: Queues<T>) {
    let started = std::thread::Builder::new()
        .name("kuajing-writer".to_owned())
        .spawn(move || {
            match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime.block_on(write_groups(store, queues)),
                Err(error) => tracing::error!(%error, "the writer's runtime did not start"),
            }
        });
    if let Err(error) = started {
        tracing::error!(%error, "the writer's thread did not start");
    }
}

/// One writer: group after group until the channels close.
async fn write_groups<T: Send + 'static>(store: Store, mut queues: Queues<T>) {
    loop {
        let Some(group) = queues.next_group().await else {
            return;
        };
        metrics::histogram!("kuajing_ceb_group_size").record(group.len() as f64);
        commit_group(&store, group).await;
    }
}

/// Runs a group in one transaction, writes what its jobs owe, commits,
/// and answers each of its senders.
async fn commit_group<T>(store: &Store, group: Vec<Submission<T>>) {
    let mut tx = match store.begin().await {
        Ok(tx) => tx,
        Err(error) => return fail_all(store, group.into_iter().map(|s| s.answer), &error),
    };
    let mut done = Vec::with_capacity(group.len());
    let mut owed = Vec::new();
    let mut answers = Vec::with_capacity(group.len());
    for submission in group {
        answers.push(submission.answer);
        match in_savepoint(&mut tx, submission.job).await {
            Ok(Ok(finished)) => {
                owed.extend(finished.owed);
                done.push(Ok(finished.answer));
            }
            // A full or failing disk may have rolled the whole transaction
            // back (SQLite does on SQLITE_FULL): nothing of the group can
            // be trusted to commit, and each sender is told the cause.
            Ok(Err(Error::Store(error))) if error.storage_fault().is_some() => {
                return fail_all(store, answers, &error);
            }
            Ok(Err(error)) => done.push(Err(error)),
            // The savepoint could not be set or rolled back: the
            // transaction is unusable; the group fails whole.
            Err(error) => return fail_all(store, answers, &error),
        }
    }
    if let Err(error) = deliver(&mut tx, &owed, Timestamp::now()).await {
        return fail_all(store, answers, &error);
    }
    if let Err(error) = tx.commit().await {
        return fail_all(store, answers, &StoreError::from(error));
    }
    for (answer, outcome) in answers.into_iter().zip(done) {
        let _ = answer.send(outcome);
    }
}

/// Runs one job in a savepoint: its outcome (an error of the job is
/// rolled back to the savepoint and returned as the outcome); `Err` only
/// when the savepoint itself fails.
async fn in_savepoint<T>(
    conn: &mut Conn,
    job: Job<T>,
) -> std::result::Result<Result<Done<T>>, StoreError> {
    kuajing_store::savepoint(conn, "SAVEPOINT ceb_job").await?;
    let outcome = job(conn).await;
    if outcome.is_err() {
        kuajing_store::savepoint(conn, "ROLLBACK TO SAVEPOINT ceb_job").await?;
        kuajing_store::savepoint(conn, "RELEASE SAVEPOINT ceb_job").await?;
    } else if conn.backend_name() == "SQLite" {
        // SQLite keeps the pages a savepoint changed, as they were, in a
        // statement journal that lives in memory up to 64 KiB and then in a
        // temporary file. Released after each job, it holds one message's
        // pages (in memory, for a message of a few documents) instead of
        // the whole group's (a file, written page by page, as much as the
        // WAL itself: issue #16).
        kuajing_store::savepoint(conn, "RELEASE SAVEPOINT ceb_job").await?;
    }
    // On PostgreSQL a job that succeeds leaves its savepoint in place (one
    // round trip less per message): the commit releases them all, and a
    // later job's ROLLBACK TO names the newest savepoint of the name, its
    // own. A group holds at most MAX_GROUP of them (the gate keeps it to
    // fewer).
    Ok(outcome)
}

/// Answers every sender of a group that could not be made durable (none
/// of its work is kept) with 503 and Retry-After — a resend of a message
/// never kept is simply new. A storage fault (full disk, read-only
/// database) is named as such and noted on the store, so that `/readyz`
/// reports it until writes go through again; any other cause is the
/// database's passing trouble (a deadlock broken by PostgreSQL, a lost
/// connection), answered as overload with a resend in a second.
fn fail_all<T>(
    store: &Store,
    answers: impl IntoIterator<Item = oneshot::Sender<Result<T>>>,
    error: &StoreError,
) {
    tracing::error!(%error, "a group of messages could not be committed; each is answered 503");
    let storage = match error {
        StoreError::Storage { fault, detail } => {
            store.note_write_failure(*fault);
            Some((*fault, detail.clone()))
        }
        _ => None,
    };
    for answer in answers {
        let refusal = match &storage {
            Some((fault, detail)) => Error::Store(StoreError::Storage {
                fault: *fault,
                detail: detail.clone(),
            }),
            None => Error::Overloaded {
                retry_after_secs: 1,
            },
        };
        let _ = answer.send(Err(refusal));
    }
}

#[cfg(test)]
mod tests {
    use kuajing_store::clearance::{is_watched, watch_buyer};
    use kuajing_testkit::dual_backend_tests;

    use super::*;

    /// A job that watches `buyer`, then fails if `fail`.
    fn job(buyer: &'static str, fail: bool) -> Job<&'static str> {
        Box::new(move |conn| {
            Box::pin(async move {
                watch_buyer(conn, buyer, "test", "test", Timestamp::now()).await?;
                if fail {
                    return Err(Error::Internal("the job fails after writing".to_owned()));
                }
                Ok(Done {
                    answer: buyer,
                    owed: Vec::new(),
                })
            })
        })
    }

    /// Routes over `writers` writers.
    fn routes(writers: usize) -> Arc<Routes> {
        Arc::new(Routes {
            held: std::sync::Mutex::new(HashMap::new()),
            load: (0..writers).map(|_| AtomicUsize::new(0)).collect(),
        })
    }

    #[test]
    fn an_affinity_stays_on_its_writer_while_a_job_of_it_is_unanswered() {
        let routes = routes(4);
        let first = routes.take(7);
        let same = routes.take(7);
        assert_eq!(same.writer, first.writer, "follows the job unanswered");
        let others: Vec<Route> = (100..103).map(|key| routes.take(key)).collect();
        let mut writers: Vec<usize> = others.iter().map(|r| r.writer).collect();
        writers.push(first.writer);
        writers.sort_unstable();
        assert_eq!(
            writers,
            [0, 1, 2, 3],
            "new affinities go to the least loaded writers"
        );
        let busy = first.writer;
        drop(first);
        drop(same);
        assert!(
            routes.held.lock().unwrap().get(&7).is_none(),
            "answered: the affinity is free"
        );
        assert_eq!(routes.load[busy].load(Ordering::Relaxed), 0);
        assert_eq!(
            routes.take(7).writer,
            busy,
            "now the least loaded writer again"
        );
    }

    dual_backend_tests! {
        async fn a_failing_job_leaves_nothing_and_its_group_commits(db: TestDatabase) {
            let store = Store::connect(&db.url).await.unwrap();
            store.migrate().await.unwrap();
            let committer = Arc::new(Committer::start(store.clone()));
            let jobs = [("110101199003074258", false), ("110101199003070000", true), ("110101199003071111", false)];
            let handles: Vec<_> = jobs
                .iter()
                .map(|(buyer, fail)| {
                    let committer = committer.clone();
                    let job = job(buyer, *fail);
                    tokio::spawn(async move { committer.run(job).await })
                })
                .collect();
            let mut outcomes = Vec::new();
            for handle in handles {
                outcomes.push(handle.await.unwrap());
            }
            assert_eq!(outcomes[0].as_ref().ok(), Some(&"110101199003074258"));
            assert!(outcomes[1].is_err());
            assert_eq!(outcomes[2].as_ref().ok(), Some(&"110101199003071111"));
            let mut conn = store.reader().await.unwrap();
            assert!(is_watched(&mut conn, "110101199003074258").await.unwrap());
            assert!(!is_watched(&mut conn, "110101199003070000").await.unwrap(), "rolled back to its savepoint");
            assert!(is_watched(&mut conn, "110101199003071111").await.unwrap());
        }
    }
}
