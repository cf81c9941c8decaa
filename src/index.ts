/** scs as a library: everything the CLI does is available here. */
export type { Diagnostic, Severity } from './core/diagnostic.js';
export { ScsError, hasErrors, summarize } from './core/diagnostic.js';
export type { Code } from './core/catalogue/index.js';
export { explainCode, type Explanation } from './core/catalogue/explain.js';
export { loadConfig, readConfig, type LoadConfigOptions } from './config/load.js';
export type { Config, Contact, Localized, NewsletterList } from './config/types.js';
export {
  loadReleases,
  checkReleases,
  type LoadOptions,
  type LoadResult,
  type LoadReuse,
} from './content/load.js';
export { checkProject, type CheckOptions } from './content/check.js';
export { readReleaseBody } from './content/body.js';
export { parseRelease } from './content/parse.js';
export {
  type InitSettings,
  initSettings,
  planInit,
  planNewRelease,
  type PlannedFile,
  writeNewFiles,
} from './content/scaffold.js';
export { isPublished, type Release, type ReleaseType } from './content/types.js';
export { releasePath, releaseUrl, releaseOutputPath } from './content/permalink.js';
export { renderMarkdown, renderInline } from './render/markdown.js';
export { parsePhone } from './core/phone.js';
export { slugify } from './core/slug.js';
export { parseDateTime, localDate, localDateTime } from './core/time.js';
export type { Transport, OutgoingMessage, SendResult } from './delivery/transport.js';
export { createTransport, describeTransport } from './delivery/create-transport.js';
export {
  runDispatch,
  type DispatchContext,
  type DispatchSettings,
  type DispatchRunResult,
  type DispatchProgress,
} from './delivery/run-dispatch.js';
export type * from './store/ledger-types.js';
export { DELIVERY_STATUSES } from './store/ledger-types.js';
export { publish, type PublishOptions, type PublishResult } from './publish/publish.js';
export { sendRelease, type SendOptions, type SendReleaseResult, type TestDelivery } from './publish/send.js';
export { dispatchStatus, type StatusResult, type DispatchStatus } from './publish/status.js';
export { planPublish, type PublishPlan, type PlannedDispatch, type SkippedDispatch } from './publish/plan.js';
export type { DispatchReport, RecoveredDispatch } from './publish/types.js';
export type { Store } from './store/types.js';
export type * from './store/subscriber-types.js';
export { SUBSCRIBER_STATUSES, CONSENT_SOURCES } from './store/subscriber-types.js';
export { openStore } from './store/open.js';
export { normalizeEmail, type EmailCheck } from './subscribers/email.js';
export {
  signToken,
  verifyToken,
  unsubscribeUrl,
  confirmUrl,
  type TokenClaims,
  type TokenPurpose,
} from './subscribers/tokens.js';
export { resolveSecret, type ResolvedSecret } from './config/secret.js';
export {
  addSubscriber,
  removeSubscriber,
  describeSubscriber,
  eraseSubscriber,
  type AddOptions,
  type AddResult,
  type SubscriberReport,
} from './subscribers/manage.js';
export { importSubscribers, type ImportOptions, type ImportReport } from './subscribers/import.js';
export { exportSubscribers, type ExportFormat } from './subscribers/export.js';
export { confirmSubscription, unsubscribe } from './subscribers/membership.js';
export { requestSubscription } from './subscribers/subscribe.js';
export { composeConfirmation, sendConfirmation } from './subscribers/confirmation.js';
export { createServer, DEFAULT_LIMITS, type ServeOptions, type RequestLog } from './subscription/server.js';
export { listen, shutdown } from './subscription/listen.js';
export { renderNewsletter } from './email/render.js';
export { personalize } from './email/personalize.js';
export { renderEmailPreview } from './email/preview.js';
export {
  planEmailInspection,
  writeInspectFiles,
  type InspectOptions,
  type InspectPlan,
} from './email/inspect.js';
export { chooseList } from './email/select.js';
export { findRelease, findReleases, type FindReleaseOptions } from './content/find-release.js';
export { sampleRecipient, renderSampleEmail } from './email/sample.js';
export type { MessageTemplate, EmailRecipient, PersonalizedMessage } from './email/types.js';
export { buildSite, type BuildOptions, type BuildResult } from './site/build.js';
export { selectReleases, type Selection, type SelectOptions } from './site/select.js';
export { startPreview, type Preview, type PreviewOptions } from './dev/preview.js';
export {
  doctor,
  dnsResolver,
  type DoctorOptions,
  type DoctorResult,
  type DoctorCheck,
  type CheckStatus,
  type TxtResolver,
} from './doctor/doctor.js';
export { watchSite, type Watching, type WatchEvent, type WatchOptions } from './dev/watch.js';
