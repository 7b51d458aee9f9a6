CREATE TABLE `region_flag_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`flag_key` text NOT NULL,
	`region_id` text NOT NULL,
	`rules` text DEFAULT '[]' NOT NULL,
	`set_by` text,
	`set_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`set_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `region_flag_rules_uq` ON `region_flag_rules` (`flag_key`,`region_id`);--> statement-breakpoint
ALTER TABLE `activation_codes` ADD `sealed_code` text;--> statement-breakpoint
ALTER TABLE `activation_codes` ADD `roster_import_id` text;--> statement-breakpoint
ALTER TABLE `consent_records` ADD `seen_by` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `guardian_contacts` ADD `relation` text;--> statement-breakpoint
ALTER TABLE `guardian_link_codes` ADD `sealed_code` text;--> statement-breakpoint
ALTER TABLE `guardian_link_codes` ADD `roster_import_id` text;--> statement-breakpoint
ALTER TABLE `guardian_link_codes` ADD `guardian_contact_id` text;--> statement-breakpoint
ALTER TABLE `schools` ADD `phase_ceiling` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `registration_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_school_registration_uq` ON `users` (`school_id`,`registration_hash`);