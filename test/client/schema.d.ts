// Generated from openapi.json by `npm run openapi`; do not edit.
export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness: 200 while the process runs
         * @description Touches nothing else (no database, no Redis), so a busy or degraded process still answers.
         */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: 200 when the database answers, else 503
         * @description Pings the database. Redis trouble does not make a process unready; the Redis-Status header says up or down.
         */
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics of this process
         * @description The Prometheus text format: request durations by route pattern and status class, chat sockets and messages, live events, Redis, the database pool, event-loop lag and the process. Without METRICS_TOKEN only requests from the loopback address are answered; with it, only those carrying it as a bearer token.
         */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account
         * @description Answers the new user and a token, so the client is logged in at once.
         */
        post: operations["register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in and get a token
         * @description An unknown username and a wrong password get the same 401, in about the same time.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's sessions, newest first
         * @description One per login or registration not yet ended; `current` marks the one this request is made with.
         */
        get: operations["listSessions"];
        put?: never;
        post?: never;
        /**
         * End every session of the caller's but this one
         * @description Every other device is logged out: their tokens are refused and their chat sockets close with 1008.
         */
        delete: operations["endOtherSessions"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * End one of the caller's sessions
         * @description Its token is refused (401 TOKEN_REVOKED) on every server within a second and its chat sockets close with 1008. Ending the current one is a logout.
         */
        delete: operations["endSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End the current session
         * @description This token is refused from now on, on every server, and its chat sockets close with 1008.
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's own profile
         * @description The Profile of the user the bearer token names, with follower and following counts.
         */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user's profile, with follower and following counts
         * @description Any user may read any profile; an id of nobody is 404 USER_NOT_FOUND.
         */
        get: operations["getUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The user directory, alphabetical, optionally filtered by username prefix
         * @description A page of users ordered by username; follow nextCursor for the next page.
         */
        get: operations["listUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Change the password
         * @description Re-checks the current password (a wrong one is 401 INVALID_CREDENTIALS, counted by the failed-login limit) and ends every other session.
         */
        put: operations["changePassword"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me/delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Erase the account
         * @description With the password. Removes the user, its sessions, follows and blocks both ways, every message it sent or received (the conversation leaves the other person's inbox) and its picture; its sockets close with 1008 on every server; the username is free again. A POST, since clients generated from the document may drop the body of a DELETE.
         */
        post: operations["deleteAccount"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me/profile-picture": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Upload or replace your profile picture
         * @description multipart/form-data with the image in the file field profilePicture. The image is judged by its bytes, re-encoded as a WebP of at most 512x512 without metadata, and replaces the previous picture.
         */
        put: operations["uploadProfilePicture"];
        post?: never;
        /**
         * Remove your profile picture
         * @description Answers the profile with profilePictureUrl null, also when there was no picture.
         */
        delete: operations["deleteProfilePicture"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/uploadProfilePicture": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload or replace your profile picture (use PUT /users/me/profile-picture)
         * @deprecated
         * @description multipart/form-data with the image in the file field profilePicture. The image is judged by its bytes, re-encoded as a WebP of at most 512x512 without metadata, and replaces the previous picture.
         */
        post: operations["uploadProfilePictureLegacy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/images/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A profile picture, at the URL given by profilePictureUrl
         * @description Public, cacheable forever (the name changes when the picture does); If-None-Match gives 304.
         */
        get: operations["getImage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}/follow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Follow a user
         * @description Idempotent: following someone you already follow is a 200 with the same answer. While either of the two blocks the other: 403 BLOCKED.
         */
        put: operations["followUser"];
        post?: never;
        /**
         * Stop following a user
         * @description Idempotent: unfollowing someone you don't follow is a 200.
         */
        delete: operations["unfollowUser"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}/relationship": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How the caller and a user are connected
         * @description Whether the caller follows the user, is followed by them, and whether both hold (mutual, which chat requires).
         */
        get: operations["getRelationship"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}/followers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who follows a user, newest follow first
         * @description A page of users, each with followedAt; follow nextCursor for the next page.
         */
        get: operations["listFollowers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}/following": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whom a user follows, newest follow first
         * @description A page of users, each with followedAt; follow nextCursor for the next page.
         */
        get: operations["listFollowing"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/follow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Follow a user (use PUT /users/{id}/follow)
         * @deprecated
         * @description The original service's follow, with the user id in the body; answers what PUT /users/{id}/follow answers.
         */
        post: operations["legacyFollow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/unfollow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unfollow a user (use DELETE /users/{id}/follow)
         * @deprecated
         * @description The original service's unfollow, with the user id in the body; answers what DELETE /users/{id}/follow answers.
         */
        post: operations["legacyUnfollow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/getAlFollowers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The followers list of ?userId=, or of the caller (use GET /users/{id}/followers)
         * @deprecated
         * @description The original service's list, now a page like GET /users/{id}/followers.
         */
        get: operations["legacyListFollowers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/getAllFollowings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The following list of ?userId=, or of the caller (use GET /users/{id}/following)
         * @deprecated
         * @description The original service's list, now a page like GET /users/{id}/following.
         */
        get: operations["legacyListFollowing"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}/block": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Block a user
         * @description Idempotent. Removes the follows between the two, both ways; while it lasts neither may follow the other (403 BLOCKED), so they cannot chat. Messages already exchanged stay readable.
         */
        put: operations["blockUser"];
        post?: never;
        /**
         * Stop blocking a user
         * @description Idempotent: unblocking someone you don't block is a 200. The follows the block removed stay removed.
         */
        delete: operations["unblockUser"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/me/blocks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The users the caller blocks, newest block first
         * @description A page of users, each with blockedAt; follow nextCursor for the next page.
         */
        get: operations["listBlocks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{userId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Messages between the caller and a user, newest first
         * @description Keyset pages: follow nextCursor to scroll back in time.
         */
        get: operations["listConversationMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/messages/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every message the caller sent or received after a message id, oldest first
         * @description For catching up after being offline: pass the id of the last message you have as `after`, then follow nextCursor until it is null. The cursor carries the position, so `after` is ignored when a cursor is given.
         */
        get: operations["syncMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's conversations, the one with the newest message first
         * @description Only conversations with at least one message; kept after an unfollow. Keyset pages: every page costs what the first costs.
         */
        get: operations["listConversations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/unread": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How many conversations have unread messages, and how many unread messages there are
         * @description Unread: received after the read marker of its conversation (PUT /conversations/{userId}/read moves it). For a badge, without paging the inbox.
         */
        get: operations["countUnread"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{userId}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Mark a conversation read up to and including a message
         * @description A marker never moves back: a lower upTo changes nothing and still answers 200. When it moves, both people get a `read` frame on every socket.
         */
        put: operations["markConversationRead"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}/presence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether a user has a chat socket open, and when they were last seen
         * @description For yourself and your mutual followers only. `online` means at least one chat socket open on any server process.
         */
        get: operations["getPresence"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** Error */
        Error: {
            /** @example 404 */
            statusCode: number;
            /**
             * @description Stable machine-readable error code; each response lists the codes it can carry
             * @example USER_NOT_FOUND
             * @enum {string}
             */
            code: "FST_ERR_VALIDATION" | "FST_ERR_CTP_INVALID_JSON_BODY" | "FST_ERR_CTP_EMPTY_JSON_BODY" | "BAD_REQUEST" | "INVALID_CURSOR" | "INVALID_READ_MARKER" | "CANNOT_FOLLOW_SELF" | "CANNOT_BLOCK_SELF" | "FILE_REQUIRED" | "EMPTY_FILE" | "TOO_MANY_FILES" | "INVALID_IMAGE" | "TOO_MANY_PIXELS" | "IMAGE_TOO_COMPLEX" | "INVALID_MULTIPART" | "NO_WEBSOCKET_HERE" | "UNAUTHORIZED" | "TOKEN_INVALID" | "TOKEN_EXPIRED" | "TOKEN_REVOKED" | "INVALID_CREDENTIALS" | "METRICS_UNAUTHORIZED" | "METRICS_LOOPBACK_ONLY" | "ORIGIN_NOT_ALLOWED" | "BLOCKED" | "NOT_MUTUAL_FOLLOWERS" | "USER_NOT_FOUND" | "CONVERSATION_NOT_FOUND" | "SESSION_NOT_FOUND" | "IMAGE_NOT_FOUND" | "ROUTE_NOT_FOUND" | "REQUEST_TIMEOUT" | "USERNAME_TAKEN" | "PAYLOAD_TOO_LARGE" | "TOO_MANY_PARTS" | "FST_ERR_MAX_PARAM_LENGTH" | "UNSUPPORTED_MEDIA_TYPE" | "UPGRADE_REQUIRED" | "RATE_LIMITED" | "TOO_MANY_SOCKETS" | "REQUEST_HEADER_FIELDS_TOO_LARGE" | "INTERNAL_SERVER_ERROR" | "SERVICE_UNAVAILABLE" | "STORAGE_UNAVAILABLE";
            /**
             * @description HTTP reason phrase
             * @example Not Found
             */
            error: string;
            /**
             * @description Human-readable explanation
             * @example user 42 not found
             */
            message: string;
        };
        /** User */
        User: {
            /**
             * @description A user id
             * @example 42
             */
            id: number;
            /**
             * @description 3 to 30 letters, digits, _ or .; unique ignoring case
             * @example alice
             */
            username: string;
            /** @example /images/3f2c9a.webp */
            profilePictureUrl: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        /** Profile */
        Profile: {
            /**
             * @description A user id
             * @example 42
             */
            id: number;
            /**
             * @description 3 to 30 letters, digits, _ or .; unique ignoring case
             * @example alice
             */
            username: string;
            /** @example /images/3f2c9a.webp */
            profilePictureUrl: string | null;
            /** Format: date-time */
            createdAt: string;
            followersCount: number;
            followingCount: number;
        };
        /**
         * Relationship
         * @description How the caller and a user are connected, seen from the caller
         */
        Relationship: {
            /**
             * @description A user id
             * @example 42
             */
            userId: number;
            /** @description The caller follows this user */
            following: boolean;
            /** @description This user follows the caller */
            followedBy: boolean;
            /** @description Both follow each other: they may chat */
            mutual: boolean;
            /** @description The caller blocks this user */
            blocking: boolean;
            /** @description This user blocks the caller */
            blockedBy: boolean;
        };
        /** Session */
        Session: {
            /**
             * @description A session id
             * @example 0b7e6c4e-54a4-4c87-9b8f-2f3c1d2e4a5b
             */
            id: string;
            /**
             * Format: date-time
             * @description When the login (or registration) opened it
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description When a request last used it; may lag by up to a minute
             */
            lastUsedAt: string;
            /** @description The User-Agent of the login, as the client sent it (cut to 256 characters) */
            userAgent: string | null;
            /** @description The session of the token this request carries */
            current: boolean;
        };
        /** FollowEntry */
        FollowEntry: {
            /**
             * @description A user id
             * @example 42
             */
            id: number;
            /**
             * @description 3 to 30 letters, digits, _ or .; unique ignoring case
             * @example alice
             */
            username: string;
            /** @example /images/3f2c9a.webp */
            profilePictureUrl: string | null;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description When this follow began
             */
            followedAt: string;
        };
        /** BlockEntry */
        BlockEntry: {
            /**
             * @description A user id
             * @example 42
             */
            id: number;
            /**
             * @description 3 to 30 letters, digits, _ or .; unique ignoring case
             * @example alice
             */
            username: string;
            /** @example /images/3f2c9a.webp */
            profilePictureUrl: string | null;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description When the caller blocked this user
             */
            blockedAt: string;
        };
        /** Message */
        Message: {
            /**
             * @description A message id; ids grow with time
             * @example 1234
             */
            id: number;
            /**
             * @description A user id
             * @example 42
             */
            senderId: number;
            /**
             * @description A user id
             * @example 42
             */
            recipientId: number;
            /** @example Hello */
            messageText: string;
            /**
             * @description The client's own id for a message; a resend with the same id is acknowledged, never stored twice
             * @example c-123
             */
            clientMessageId: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        /** Conversation */
        Conversation: {
            user: components["schemas"]["User"];
            lastMessage: components["schemas"]["Message"];
            /** @description Messages from the other person with an id above readUpTo */
            unreadCount: number;
            /** @description The newest message of this conversation the caller marked read; null: none */
            readUpTo: number | null;
            /** @description The same for the other person: a read receipt */
            peerReadUpTo: number | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Liveness: 200 while the process runs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
            /** @description `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Readiness: 200 when the database answers, else 503 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
            /** @description `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metrics */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `METRICS_UNAUTHORIZED`: METRICS_TOKEN is set and the request to /metrics did not carry it as a bearer token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `METRICS_LOOPBACK_ONLY`: METRICS_TOKEN is not set, so /metrics answers requests from the loopback address only */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description 3 to 30 letters, digits, _ or .; unique ignoring case
                     * @example alice
                     */
                    username: string;
                    /**
                     * @description 8 to 128 characters
                     * @example correct horse battery
                     */
                    password: string;
                };
            };
        };
        responses: {
            /** @description Create an account */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                        /** @description JWT (HS256) to send as Authorization: Bearer <token> */
                        token: string;
                    };
                };
            };
            /** @description `FST_ERR_CTP_INVALID_JSON_BODY`: the body is not JSON; `FST_ERR_CTP_EMPTY_JSON_BODY`: a JSON content type with an empty body; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USERNAME_TAKEN`: the username exists, in any letter case */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: a body or upload over its limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: a content type (or image format) the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: too many attempts; wait Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description 3 to 30 letters, digits, _ or .; unique ignoring case
                     * @example alice
                     */
                    username: string;
                    /**
                     * @description 8 to 128 characters
                     * @example correct horse battery
                     */
                    password: string;
                };
            };
        };
        responses: {
            /** @description Log in and get a token */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["User"];
                        /** @description JWT (HS256) to send as Authorization: Bearer <token> */
                        token: string;
                        /**
                         * @description Seconds until the token expires
                         * @example 86400
                         */
                        expiresIn: number;
                    };
                };
            };
            /** @description `FST_ERR_CTP_INVALID_JSON_BODY`: the body is not JSON; `FST_ERR_CTP_EMPTY_JSON_BODY`: a JSON content type with an empty body; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INVALID_CREDENTIALS`: wrong username or password (the same answer for both) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: a body or upload over its limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: a content type (or image format) the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: too many attempts; wait Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSessions: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The previous page's nextCursor */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of sessions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Session"][];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `INVALID_CURSOR`: a cursor this list did not hand out */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    endOtherSessions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    endSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A session id
                 * @example 0b7e6c4e-54a4-4c87-9b8f-2f3c1d2e4a5b
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SESSION_NOT_FOUND`: no session of the caller has this id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FST_ERR_MAX_PARAM_LENGTH`: a path parameter over 100 characters */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's own profile */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A user id
                 * @example 42
                 */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A user's profile, with follower and following counts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FST_ERR_MAX_PARAM_LENGTH`: a path parameter over 100 characters */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The previous page's nextCursor */
                cursor?: string;
                /** @description Username prefix, matched ignoring case; _ and . match themselves */
                search?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["User"][];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `INVALID_CURSOR`: a cursor this list did not hand out */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description 8 to 128 characters
                     * @example correct horse battery
                     */
                    currentPassword: string;
                    /**
                     * @description 8 to 128 characters
                     * @example correct horse battery
                     */
                    newPassword: string;
                };
            };
        };
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `FST_ERR_CTP_INVALID_JSON_BODY`: the body is not JSON; `FST_ERR_CTP_EMPTY_JSON_BODY`: a JSON content type with an empty body; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again; `INVALID_CREDENTIALS`: wrong username or password (the same answer for both) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: a body or upload over its limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: a content type (or image format) the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: too many attempts; wait Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description 8 to 128 characters
                     * @example correct horse battery
                     */
                    password: string;
                };
            };
        };
        responses: {
            /** @description Done; no body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `FST_ERR_CTP_INVALID_JSON_BODY`: the body is not JSON; `FST_ERR_CTP_EMPTY_JSON_BODY`: a JSON content type with an empty body; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again; `INVALID_CREDENTIALS`: wrong username or password (the same answer for both) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: a body or upload over its limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: a content type (or image format) the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `RATE_LIMITED`: too many attempts; wait Retry-After seconds */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "retry-after"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    uploadProfilePicture: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /**
                     * Format: binary
                     * @description A JPEG, PNG, WebP, GIF or AVIF image, judged by its bytes; stored as a WebP of at most 512x512
                     */
                    profilePicture: Blob;
                };
            };
        };
        responses: {
            /** @description Upload or replace your profile picture */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            /** @description `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `FILE_REQUIRED`: no file in the field profilePicture; `EMPTY_FILE`: the file is empty; `TOO_MANY_FILES`: more than one file; `INVALID_IMAGE`: bytes that do not decode as the image type they claim; `TOO_MANY_PIXELS`: image dimensions too large to decode safely; `IMAGE_TOO_COMPLEX`: an image that would cost too much to decode: a JPEG of too many progressive scans for its size, or one taking over 20 s; `INVALID_MULTIPART`: a malformed multipart/form-data body */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: a body or upload over its limit; `TOO_MANY_PARTS`: a multipart body with too many parts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: a content type (or image format) the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds); `STORAGE_UNAVAILABLE`: a picture could not be written to or read from UPLOAD_DIR or S3_BUCKET */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteProfilePicture: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Remove your profile picture */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    uploadProfilePictureLegacy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /**
                     * Format: binary
                     * @description A JPEG, PNG, WebP, GIF or AVIF image, judged by its bytes; stored as a WebP of at most 512x512
                     */
                    profilePicture: Blob;
                };
            };
        };
        responses: {
            /** @description Upload or replace your profile picture (use PUT /users/me/profile-picture) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            /** @description `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `FILE_REQUIRED`: no file in the field profilePicture; `EMPTY_FILE`: the file is empty; `TOO_MANY_FILES`: more than one file; `INVALID_IMAGE`: bytes that do not decode as the image type they claim; `TOO_MANY_PIXELS`: image dimensions too large to decode safely; `IMAGE_TOO_COMPLEX`: an image that would cost too much to decode: a JPEG of too many progressive scans for its size, or one taking over 20 s; `INVALID_MULTIPART`: a malformed multipart/form-data body */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: a body or upload over its limit; `TOO_MANY_PARTS`: a multipart body with too many parts */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: a content type (or image format) the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds); `STORAGE_UNAVAILABLE`: a picture could not be written to or read from UPLOAD_DIR or S3_BUCKET */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The name in a profilePictureUrl
                 * @example 3f2c9a1e-5b7d-4c1a-9e2f-0a1b2c3d4e5f.webp
                 */
                file: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The picture, a WebP of at most 512x512 with no metadata */
            200: {
                headers: {
                    /** @description public, max-age=31536000, immutable */
                    "cache-control"?: string;
                    /** @description Send it back as If-None-Match to get a 304 */
                    etag?: string;
                    /** @description nosniff */
                    "x-content-type-options"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "image/webp": Blob;
                };
            };
            /** @description Not modified: the If-None-Match header names this image's ETag */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `IMAGE_NOT_FOUND`: no such picture under /images/ */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FST_ERR_MAX_PARAM_LENGTH`: a path parameter over 100 characters */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `STORAGE_UNAVAILABLE`: a picture could not be written to or read from UPLOAD_DIR or S3_BUCKET */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    followUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A user id
                 * @example 42
                 */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How the caller and a user are connected, seen from the caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Relationship"];
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `CANNOT_FOLLOW_SELF`: following yourself */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BLOCKED`: one of the two people blocks the other, so neither may follow the other */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FST_ERR_MAX_PARAM_LENGTH`: a path parameter over 100 characters */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unfollowUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A user id
                 * @example 42
                 */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How the caller and a user are connected, seen from the caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Relationship"];
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FST_ERR_MAX_PARAM_LENGTH`: a path parameter over 100 characters */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRelationship: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A user id
                 * @example 42
                 */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How the caller and a user are connected, seen from the caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Relationship"];
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FST_ERR_MAX_PARAM_LENGTH`: a path parameter over 100 characters */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listFollowers: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The previous page's nextCursor */
                cursor?: string;
            };
            header?: never;
            path: {
                /**
                 * @description A user id
                 * @example 42
                 */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users with followedAt */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["FollowEntry"][];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `INVALID_CURSOR`: a cursor this list did not hand out */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FST_ERR_MAX_PARAM_LENGTH`: a path parameter over 100 characters */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listFollowing: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The previous page's nextCursor */
                cursor?: string;
            };
            header?: never;
            path: {
                /**
                 * @description A user id
                 * @example 42
                 */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users with followedAt */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["FollowEntry"][];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `INVALID_CURSOR`: a cursor this list did not hand out */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FST_ERR_MAX_PARAM_LENGTH`: a path parameter over 100 characters */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    legacyFollow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description A user id: an integer, or its decimal string (the original service accepted both)
                     * @example 42
                     */
                    userId: number | string;
                };
            };
        };
        responses: {
            /** @description How the caller and a user are connected, seen from the caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Relationship"];
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `FST_ERR_CTP_INVALID_JSON_BODY`: the body is not JSON; `FST_ERR_CTP_EMPTY_JSON_BODY`: a JSON content type with an empty body; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `CANNOT_FOLLOW_SELF`: following yourself */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `BLOCKED`: one of the two people blocks the other, so neither may follow the other */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: a body or upload over its limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: a content type (or image format) the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    legacyUnfollow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description A user id: an integer, or its decimal string (the original service accepted both)
                     * @example 42
                     */
                    userId: number | string;
                };
            };
        };
        responses: {
            /** @description How the caller and a user are connected, seen from the caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Relationship"];
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `FST_ERR_CTP_INVALID_JSON_BODY`: the body is not JSON; `FST_ERR_CTP_EMPTY_JSON_BODY`: a JSON content type with an empty body; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: a body or upload over its limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: a content type (or image format) the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    legacyListFollowers: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The previous page's nextCursor */
                cursor?: string;
                /**
                 * @description A user id
                 * @example 42
                 */
                userId?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users with followedAt */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["FollowEntry"][];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `INVALID_CURSOR`: a cursor this list did not hand out */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    legacyListFollowing: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The previous page's nextCursor */
                cursor?: string;
                /**
                 * @description A user id
                 * @example 42
                 */
                userId?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users with followedAt */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["FollowEntry"][];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `INVALID_CURSOR`: a cursor this list did not hand out */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    blockUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A user id
                 * @example 42
                 */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How the caller and a user are connected, seen from the caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Relationship"];
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `CANNOT_BLOCK_SELF`: blocking yourself */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FST_ERR_MAX_PARAM_LENGTH`: a path parameter over 100 characters */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    unblockUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A user id
                 * @example 42
                 */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How the caller and a user are connected, seen from the caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Relationship"];
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FST_ERR_MAX_PARAM_LENGTH`: a path parameter over 100 characters */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listBlocks: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The previous page's nextCursor */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the users the caller blocks, with blockedAt */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["BlockEntry"][];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `INVALID_CURSOR`: a cursor this list did not hand out */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listConversationMessages: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The previous page's nextCursor */
                cursor?: string;
            };
            header?: never;
            path: {
                /**
                 * @description A user id
                 * @example 42
                 */
                userId: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of messages, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Message"][];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `INVALID_CURSOR`: a cursor this list did not hand out */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FST_ERR_MAX_PARAM_LENGTH`: a path parameter over 100 characters */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    syncMessages: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The previous page's nextCursor */
                cursor?: string;
                /** @description Only messages with a greater id */
                after?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of messages, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Message"][];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `INVALID_CURSOR`: a cursor this list did not hand out */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listConversations: {
        parameters: {
            query?: {
                /** @description Items per page */
                limit?: number;
                /** @description The previous page's nextCursor */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of conversations, newest message first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Conversation"][];
                        /** @description Pass as ?cursor= for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `INVALID_CURSOR`: a cursor this list did not hand out */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    countUnread: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How many conversations have unread messages, and how many unread messages there are */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Conversations with unread messages */
                        conversations: number;
                        /** @description Unread messages in all */
                        messages: number;
                    };
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    markConversationRead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A user id
                 * @example 42
                 */
                userId: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The id of the newest message read; a message of this conversation */
                    upTo: number;
                };
            };
        };
        responses: {
            /** @description Mark a conversation read up to and including a message */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Conversation"];
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `FST_ERR_CTP_INVALID_JSON_BODY`: the body is not JSON; `FST_ERR_CTP_EMPTY_JSON_BODY`: a JSON content type with an empty body; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode); `INVALID_READ_MARKER`: a read marker (upTo) that is not a message of this conversation */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody; `CONVERSATION_NOT_FOUND`: the caller and that user never exchanged a message */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `PAYLOAD_TOO_LARGE`: a body or upload over its limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FST_ERR_MAX_PARAM_LENGTH`: a path parameter over 100 characters */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`: a content type (or image format) the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPresence: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A user id
                 * @example 42
                 */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Whether a user has a chat socket open, and when they were last seen */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description A user id
                         * @example 42
                         */
                        userId: number;
                        /** @description At least one chat socket open on any server process */
                        online: boolean;
                        /**
                         * Format: date-time
                         * @description When the last socket closed; null while online or never seen
                         */
                        lastSeenAt: string | null;
                    };
                };
            };
            /** @description `FST_ERR_VALIDATION`: the request breaks its schema; the message names the field; `BAD_REQUEST`: a request the server cannot read in some other way (malformed HTTP, a URL that does not decode) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `UNAUTHORIZED`: no bearer token; `TOKEN_INVALID`: a token that is malformed, forged, of another algorithm, or of a deleted user; `TOKEN_EXPIRED`: an expired token: log in again; `TOKEN_REVOKED`: the session the token names has ended (logout, ended from another device, password change, erasure) or the token names none: log in again */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `NOT_MUTUAL_FOLLOWERS`: only mutual followers may see this of each other (presence) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `USER_NOT_FOUND`: a well-formed id of nobody */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `FST_ERR_MAX_PARAM_LENGTH`: a path parameter over 100 characters */
            414: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `INTERNAL_SERVER_ERROR`: a bug; the details are in the server log under the request id, never in the answer */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `SERVICE_UNAVAILABLE`: the server is overloaded, the database is not answering, or too many passwords or pictures are waiting to be processed (retry after Retry-After seconds) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
