ALTER TABLE `users` ADD `home_seen_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `home_prev_seen_at` integer;