import { Type } from '@sinclair/typebox'
import { errorResponses, serverCodes, tokenCodes } from '../../schemas/error.js'
import { ProfileSchema } from '../users/schemas.js'
import { PICTURE_FIELD } from './upload.js'

/** Documents the multipart body for OpenAPI; the handler reads the stream itself. */
export const PictureUpload = Type.Object({
  [PICTURE_FIELD]: Type.String({
    format: 'binary',
    description: 'A JPEG, PNG, WebP, GIF or AVIF image, judged by its bytes; stored as a WebP of at most 512x512',
  }),
})

export const uploadDescription = 'multipart/form-data with the image in the file field profilePicture. The image is judged ' +
  'by its bytes, re-encoded as a WebP of at most 512x512 without metadata, and replaces the previous picture.'

export const uploadResponses = {
  200: Type.Ref(ProfileSchema),
  ...errorResponses(
    'FILE_REQUIRED', 'EMPTY_FILE', 'TOO_MANY_FILES', 'INVALID_IMAGE', 'TOO_MANY_PIXELS', 'IMAGE_TOO_COMPLEX', 'INVALID_MULTIPART', 'USER_NOT_FOUND',
    'PAYLOAD_TOO_LARGE', 'TOO_MANY_PARTS', 'UNSUPPORTED_MEDIA_TYPE', 'STORAGE_UNAVAILABLE', ...serverCodes, ...tokenCodes,
  ),
}

export const PICTURE_NAME_PATTERN = '^[A-Za-z0-9-]+\\.webp$'

export const ImageParams = Type.Object({
  file: Type.String({ pattern: PICTURE_NAME_PATTERN, maxLength: 100, description: 'The name in a profilePictureUrl', examples: ['3f2c9a1e-5b7d-4c1a-9e2f-0a1b2c3d4e5f.webp'] }),
})

export const WebpImage = {
  description: 'The picture, a WebP of at most 512x512 with no metadata',
  content: { 'image/webp': { schema: { type: 'string', format: 'binary' } } },
  headers: {
    'cache-control': { type: 'string', description: 'public, max-age=31536000, immutable' },
    etag: { type: 'string', description: 'Send it back as If-None-Match to get a 304' },
    'x-content-type-options': { type: 'string', description: 'nosniff' },
  },
}

export const NotModified = {
  description: "Not modified: the If-None-Match header names this image's ETag",
  type: 'null',
}
