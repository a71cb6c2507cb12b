import { checkNothingOnDisk, useS3 } from './picture-stores.js'

// test/picture-streams.test.ts again, its pictures in a bucket of a real S3-compatible server.
useS3()
await import('./picture-streams.test.js')
checkNothingOnDisk()
