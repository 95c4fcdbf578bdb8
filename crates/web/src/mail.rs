//! The mail worker: a tokio task started by `juri serve` that queues the deadline
//! reminders that are due and delivers the outbox (`juri_persistence::OutboxMessage`)
//! through SMTP with lettre. A message whose try fails stays in the outbox with its
//! error and waits longer after each failure (`juri_domain::notification::retry_delay`,
//! capped), so a mail server that is down delays mail but loses none. Without an SMTP
//! URL every message is written to the log and marked sent. See docs/operations.md,
//! "Mail".

use chrono::Duration;
use juri_domain::clock::Clock;
use juri_domain::notification::{self, SUBMISSION_REMINDER_LEAD};
use juri_persistence::{OutboxMessage, Store, StoreError};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

/// How the worker runs.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://host:port`, `smtps://user:pass@host`, `smtp://…?tls=required`; `None`
    /// writes mail to the log instead. A secret: it may hold a password.
    pub smtp_url: Option<SecretString>,
    /// The From address (`Name <address>` or an address).
    pub from: String,
    /// How often the worker looks for due mail and reminders.
    pub poll: std::time::Duration,
    /// The wait after the first failed try; doubled per failure up to `retry_max`.
    pub retry_min: Duration,
    pub retry_max: Duration,
    /// How long a claimed message is held by the worker that claimed it: after that,
    /// another worker may try it (the first one died mid-send).
    pub lease: Duration,
    /// Messages per pass.
    pub batch: u64,
    /// How long an SMTP conversation may take.
    pub smtp_timeout: std::time::Duration,
    /// How long before the submission deadline drafts are reminded.
    pub reminder_lead: Duration,
    /// How often the worker looks for reminders that have come due: the rule changes by
    /// the hour, so this is much slower than `poll` (the dedupe key makes a repeat
    /// harmless, but each look is a query over the editions and their drafts).
    pub reminder_every: std::time::Duration,
    /// The server's public URL, for the link in every message (no trailing slash).
    pub public_url: String,
}

impl MailSettings {
    /// The defaults, From `noreply@<host of public_url>`.
    pub fn new(public_url: &str) -> MailSettings {
        let host = public_url
            .split("://")
            .nth(1)
            .unwrap_or(public_url)
            .split(['/', ':', '?'])
            .next()
            .filter(|h| !h.is_empty())
            .unwrap_or("localhost");
        let from = format!("Juri Bangka Innovation Awards <noreply@{host}>");
        // A host that makes no mail domain (an IPv6 literal) must not stop the server.
        let from = if from.parse::<Mailbox>().is_ok() {
            from
        } else {
            "Juri Bangka Innovation Awards <noreply@localhost>".to_owned()
        };
        MailSettings {
            smtp_url: None,
            from,
            poll: std::time::Duration::from_secs(10),
            retry_min: Duration::minutes(1),
            retry_max: Duration::hours(1),
            lease: Duration::minutes(5),
            batch: 50,
            smtp_timeout: std::time::Duration::from_secs(30),
            reminder_lead: SUBMISSION_REMINDER_LEAD,
            reminder_every: std::time::Duration::from_secs(600),
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    /// Reminders and opening notices queued.
    pub reminders: u64,
    pub sent: u64,
    pub failed: u64,
}

/// The worker: the store, the clock, the transport.
pub struct MailWorker {
    store: Store,
    clock: Arc<dyn Clock>,
    settings: MailSettings,
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl std::fmt::Debug for MailWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the URL: it may carry a password.
        f.debug_struct("MailWorker")
            .field("smtp", &self.transport.is_some())
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl MailWorker {
    /// Check the settings: a bad SMTP URL or From address stops the server at start-up
    /// rather than losing mail later. The error never repeats the URL.
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        settings: MailSettings,
    ) -> Result<MailWorker, String> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| format!("JURI_MAIL_FROM is not a mail address: {e}"))?;
        let transport = match &settings.smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .map_err(|e| format!("JURI_SMTP_URL is not a usable SMTP URL: {e}"))?
                    .timeout(Some(settings.smtp_timeout))
                    .build(),
            ),
            None => None,
        };
        Ok(MailWorker {
            store,
            clock,
            settings,
            transport,
            from,
        })
    }

    /// Does mail go to an SMTP server (or only to the log)?
    pub fn uses_smtp(&self) -> bool {
        self.transport.is_some()
    }

    /// One pass: queue the reminders due now, then deliver what is due.
    pub async fn tick(&self) -> Result<Pass, StoreError> {
        let reminders = self
            .store
            .enqueue_reminders(self.clock.now(), self.settings.reminder_lead)
            .await?
            + self.store.enqueue_opening_notices(self.clock.now()).await?;
        let mut pass = self.deliver_due().await?;
        pass.reminders = reminders;
        Ok(pass)
    }

    /// Deliver the messages due now (up to a batch), each claimed first so that two
    /// servers never send the same one.
    pub async fn deliver_due(&self) -> Result<Pass, StoreError> {
        let mut pass = Pass::default();
        let due = self
            .store
            .due_mail(self.clock.now(), self.settings.batch)
            .await?;
        for msg in due {
            if !self
                .store
                .claim_mail(&msg, self.clock.now(), self.settings.lease)
                .await?
            {
                continue; // another worker has it
            }
            let attempt = msg.attempts + 1;
            match self.send(&msg).await {
                Ok(()) => {
                    self.store.mail_sent(msg.id, self.clock.now()).await?;
                    pass.sent += 1;
                }
                Err(error) => {
                    let wait = notification::retry_delay(
                        u32::try_from(attempt).unwrap_or(u32::MAX),
                        self.settings.retry_min,
                        self.settings.retry_max,
                    );
                    tracing::warn!(
                        outbox_id = msg.id,
                        kind = %msg.kind,
                        attempt,
                        retry_in_secs = wait.num_seconds(),
                        error = %error,
                        "mail not delivered; it stays in the outbox"
                    );
                    self.store
                        .mail_failed(msg.id, &error, self.clock.now() + wait)
                        .await?;
                    pass.failed += 1;
                }
            }
        }
        Ok(pass)
    }

    async fn send(&self, msg: &OutboxMessage) -> Result<(), String> {
        let Some(transport) = &self.transport else {
            tracing::info!(
                outbox_id = msg.id,
                kind = %msg.kind,
                to = %msg.recipient,
                subject = %msg.subject,
                "mail (no JURI_SMTP_URL: logged, not sent)"
            );
            return Ok(());
        };
        let to: Mailbox = msg
            .recipient
            .parse()
            .map_err(|e| format!("recipient address: {e}"))?;
        let domain = self.from.email.domain().to_owned();
        let body = match notification::link_path(&msg.kind) {
            Some(path) => juri_text::mail::with_link(
                &msg.body,
                msg.language,
                &format!("{}{path}", self.settings.public_url),
            ),
            None => msg.body.clone(),
        };
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(msg.subject.clone())
            // The same Message-ID on every try: a receiver can drop a duplicate when a
            // try was delivered but its acknowledgement lost.
            .message_id(Some(format!("<outbox-{}@{domain}>", msg.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| format!("message: {e}"))?;
        transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| format!("smtp: {e}"))
    }

    /// Run until the task is aborted: delivery every `poll`, reminders every
    /// `reminder_every` (and at start). A failed pass (the database away) is logged and
    /// retried at the next tick.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(self.settings.poll);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut reminders = Every::new(self.settings.reminder_every);
            loop {
                tick.tick().await;
                let pass = if reminders.due(tokio::time::Instant::now()) {
                    self.tick().await
                } else {
                    self.deliver_due().await
                };
                match pass {
                    Ok(_) => {}
                    Err(e) => {
                        reminders.retry();
                        tracing::warn!(error = %e, "mail worker pass failed; retrying");
                    }
                }
            }
        })
    }
}

/// A job that runs at most once per `period`: the first call is due, then one
/// `period` after the last due call; `retry` makes the next call due again.
#[derive(Debug)]
struct Every {
    period: std::time::Duration,
    last: Option<tokio::time::Instant>,
}

impl Every {
    fn new(period: std::time::Duration) -> Every {
        Every { period, last: None }
    }

    fn due(&mut self, now: tokio::time::Instant) -> bool {
        let due = self
            .last
            .is_none_or(|last| now.saturating_duration_since(last) >= self.period);
        if due {
            self.last = Some(now);
        }
        due
    }

    fn retry(&mut self) {
        self.last = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_are_looked_for_once_per_period_and_again_after_a_failure() {
        let t0 = tokio::time::Instant::now();
        let secs = std::time::Duration::from_secs;
        let mut every = Every::new(secs(600));
        assert!(every.due(t0), "the first pass looks");
        assert!(!every.due(t0 + secs(10)));
        assert!(!every.due(t0 + secs(599)));
        assert!(every.due(t0 + secs(600)));
        assert!(!every.due(t0 + secs(610)));
        every.retry();
        assert!(
            every.due(t0 + secs(620)),
            "a failed look is repeated at the next tick"
        );
    }

    #[test]
    fn the_public_url_loses_its_trailing_slash() {
        assert_eq!(
            MailSettings::new("https://juri.bangka.go.id/").public_url,
            "https://juri.bangka.go.id"
        );
    }

    #[test]
    fn the_default_sender_is_noreply_at_the_public_host() {
        assert_eq!(
            MailSettings::new("https://juri.bangka.go.id/").from,
            "Juri Bangka Innovation Awards <noreply@juri.bangka.go.id>"
        );
        assert!(
            MailSettings::new("http://127.0.0.1:8080")
                .from
                .ends_with("<noreply@127.0.0.1>")
        );
        for url in [
            "https://juri.bangka.go.id",
            "http://127.0.0.1:8080",
            "http://[::1]:80",
        ] {
            let from = MailSettings::new(url).from;
            assert!(from.parse::<Mailbox>().is_ok(), "{from}");
        }
    }
}
