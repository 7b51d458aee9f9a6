CREATE TABLE `notice_settings` (
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`digest` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `kind`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `notifications` ADD `facts` text;--> statement-breakpoint
ALTER TABLE `users` ADD `home_seen_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `home_prev_seen_at` integer;