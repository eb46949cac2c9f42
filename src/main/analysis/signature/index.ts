export { stableBucket, exceptionClass, frameKey, isTrustedOrigin, BUCKET_FRAMES } from './bucket';
export type { Bucket, BucketFrame, BucketInput, FrameOrigin } from './bucket';
export { dumpBucket, crashLogBucket, summaryBucket, hangBucket } from './sources';
export { culpritKey, culpritKeyOf, culpritKeyOfName, culpritName } from './culprit';
export { isVictimModule } from './victims';
