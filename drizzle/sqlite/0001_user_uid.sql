-- A random, never reused id per user row, recorded in each session (see lib/db/schema.ts).
-- Rows that exist already get one here; new rows get one from the app.
ALTER TABLE `users` ADD `uid` text NOT NULL DEFAULT '';--> statement-breakpoint
UPDATE `users` SET `uid` = lower(hex(randomblob(16))) WHERE `uid` = '';--> statement-breakpoint
CREATE UNIQUE INDEX `users_uid_unique` ON `users` (`uid`);
