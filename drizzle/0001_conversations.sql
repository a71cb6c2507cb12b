CREATE TABLE "conversations" (
	"owner_id" bigint NOT NULL,
	"peer_id" bigint NOT NULL,
	"last_message_id" bigint NOT NULL,
	"unread_count" integer DEFAULT 0 NOT NULL,
	"read_up_to" bigint,
	CONSTRAINT "conversations_owner_id_peer_id_pk" PRIMARY KEY("owner_id","peer_id"),
	CONSTRAINT "conversations_unread_count" CHECK ("conversations"."unread_count" >= 0)
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_peer_id_users_id_fk" FOREIGN KEY ("peer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_inbox_idx" ON "conversations" USING btree ("owner_id","last_message_id");--> statement-breakpoint
CREATE INDEX "conversations_unread_idx" ON "conversations" USING btree ("owner_id") WHERE "conversations"."unread_count" > 0;--> statement-breakpoint
CREATE INDEX "conversations_peer_idx" ON "conversations" USING btree ("peer_id");--> statement-breakpoint
-- Backfill, written by hand after the generated DDL: the inbox of every conversation that already
-- has messages. Nothing could be marked read before markers existed, so every message received is unread.
INSERT INTO "conversations" ("owner_id", "peer_id", "last_message_id", "unread_count")
SELECT side.owner_id, side.peer_id, max(m.id), count(*) FILTER (WHERE m.recipient_id = side.owner_id)
FROM "messages" m CROSS JOIN LATERAL (VALUES (m.sender_id, m.recipient_id), (m.recipient_id, m.sender_id)) AS side(owner_id, peer_id)
GROUP BY side.owner_id, side.peer_id;
