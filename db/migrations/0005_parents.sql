CREATE TABLE `acknowledgements` (
	`guardian_id` text NOT NULL,
	`student_id` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`guardian_id`, `student_id`, `subject_type`, `subject_id`),
	FOREIGN KEY (`guardian_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `acknowledgements_subject_idx` ON `acknowledgements` (`subject_type`,`subject_id`);--> statement-breakpoint
CREATE TABLE `guardian_link_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`student_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by` text,
	`voided_at` integer,
	`issued_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`used_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issued_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `guardian_link_codes_hash_uq` ON `guardian_link_codes` (`code_hash`);--> statement-breakpoint
CREATE INDEX `guardian_link_codes_student_idx` ON `guardian_link_codes` (`student_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `phone` text;