import { UserNotFound } from '../../errors.js'
import type { UsersRepository } from './repository.js'
import { toUser, type Profile } from './schemas.js'

/** The Profile of a user, or USER_NOT_FOUND. */
export async function profileOf(repository: UsersRepository, id: number): Promise<Profile> {
  const profile = await repository.profile(id)
  if (!profile) throw new UserNotFound(id)
  const { followersCount, followingCount, ...user } = profile
  return { ...toUser(user), followersCount, followingCount }
}
