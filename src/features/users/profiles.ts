import { TokenInvalid, UserNotFound } from '../../errors.js'
import type { UsersRepository } from './repository.js'
import { toUser, type PictureUrl, type Profile } from './schemas.js'

/** The Profile of a user, or USER_NOT_FOUND. */
export async function profileOf(repository: UsersRepository, id: number, pictureUrl: PictureUrl): Promise<Profile> {
  const profile = await repository.profile(id)
  if (!profile) throw new UserNotFound(id)
  const { followersCount, followingCount, ...user } = profile
  return { ...toUser(user, pictureUrl), followersCount, followingCount }
}

/**
 * The caller's own Profile. The token was checked a moment ago; if the account is gone now
 * (deleted in between) the token names nobody, which is a 401 like any token of a deleted user.
 */
export async function ownProfileOf(repository: UsersRepository, id: number, pictureUrl: PictureUrl): Promise<Profile> {
  try {
    return await profileOf(repository, id, pictureUrl)
  } catch (error) {
    if (error instanceof UserNotFound) throw new TokenInvalid('its user no longer exists')
    throw error
  }
}
