CREATE TABLE `cache_versions` (
	`name` text PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `consent_records` (
	`id` text PRIMARY KEY NOT NULL,
	`student_id` text NOT NULL,
	`guardian_name` text NOT NULL,
	`method` text NOT NULL,
	`decision` text NOT NULL,
	`decided_at` integer NOT NULL,
	`recorded_by` text,
	`note` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consent_records_student_idx` ON `consent_records` (`student_id`,`decided_at`);--> statement-breakpoint
CREATE TABLE `feature_flags` (
	`key` text PRIMARY KEY NOT NULL,
	`default_enabled` integer DEFAULT false NOT NULL,
	`rules` text DEFAULT '[]' NOT NULL,
	`overridable` text DEFAULT '{}' NOT NULL,
	`updated_by` text,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `flag_overrides` (
	`id` text PRIMARY KEY NOT NULL,
	`flag_key` text NOT NULL,
	`scope_type` text NOT NULL,
	`scope_id` text NOT NULL,
	`enabled` integer NOT NULL,
	`locked` integer DEFAULT false NOT NULL,
	`set_by` text,
	`set_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`set_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `flag_overrides_scope_uq` ON `flag_overrides` (`flag_key`,`scope_type`,`scope_id`);--> statement-breakpoint
CREATE INDEX `flag_overrides_scope_idx` ON `flag_overrides` (`scope_type`,`scope_id`);--> statement-breakpoint
CREATE TABLE `guardian_contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`student_id` text NOT NULL,
	`name` text NOT NULL,
	`phone` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `guardian_contacts_student_idx` ON `guardian_contacts` (`student_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `guardian_contacts_student_name_uq` ON `guardian_contacts` (`student_id`,`name`);--> statement-breakpoint
CREATE TABLE `roster_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`school_id` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`file_name` text NOT NULL,
	`row_count` integer NOT NULL,
	`status` text DEFAULT 'preview' NOT NULL,
	`rows` text NOT NULL,
	`summary` text,
	`imported_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `roster_imports_school_idx` ON `roster_imports` (`school_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `schools` ADD `login_prefix` text;--> statement-breakpoint
CREATE UNIQUE INDEX `schools_login_prefix_uq` ON `schools` (`login_prefix`);--> statement-breakpoint
ALTER TABLE `users` ADD `student_number` text;--> statement-breakpoint
ALTER TABLE `users` ADD `last_seen_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `users_school_student_number_uq` ON `users` (`school_id`,`student_number`);