ALTER TABLE `guardian_contacts` ADD `relation` text;--> statement-breakpoint
ALTER TABLE `users` ADD `registration_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_school_registration_uq` ON `users` (`school_id`,`registration_hash`);