CREATE TABLE `library_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`resource_id` text NOT NULL,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`resource_id`) REFERENCES `library_resources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `library_comments_resource_idx` ON `library_comments` (`resource_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `library_listings` (
	`id` text PRIMARY KEY NOT NULL,
	`resource_id` text NOT NULL,
	`region_id` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`version_id` text NOT NULL,
	`admitted_version_id` text,
	`admitted_at` integer,
	`quality` integer DEFAULT false NOT NULL,
	`recommended_from` text,
	`round` integer DEFAULT 1 NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`resource_id`) REFERENCES `library_resources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`version_id`) REFERENCES `library_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`admitted_version_id`) REFERENCES `library_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recommended_from`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `library_listings_region_uq` ON `library_listings` (`resource_id`,`region_id`);--> statement-breakpoint
CREATE INDEX `library_listings_queue_idx` ON `library_listings` (`region_id`,`state`);--> statement-breakpoint
CREATE TABLE `library_ratings` (
	`resource_id` text NOT NULL,
	`user_id` text NOT NULL,
	`stars` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`resource_id`, `user_id`),
	FOREIGN KEY (`resource_id`) REFERENCES `library_resources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "library_ratings_stars_ck" CHECK("library_ratings"."stars" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE `library_resources` (
	`id` text PRIMARY KEY NOT NULL,
	`author_id` text NOT NULL,
	`school_id` text,
	`source_lesson_id` text,
	`latest_version_id` text,
	`withdrawn_at` integer,
	`withdrawn_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`source_lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`withdrawn_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `library_resources_author_idx` ON `library_resources` (`author_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `library_reviewers` (
	`user_id` text NOT NULL,
	`region_id` text NOT NULL,
	`granted_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`user_id`, `region_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`granted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `library_reviewers_region_idx` ON `library_reviewers` (`region_id`);--> statement-breakpoint
CREATE TABLE `library_reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`listing_id` text NOT NULL,
	`version_id` text NOT NULL,
	`reviewer_id` text NOT NULL,
	`decision` text NOT NULL,
	`checklist` text DEFAULT '[]' NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`listing_id`) REFERENCES `library_listings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`version_id`) REFERENCES `library_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `library_reviews_listing_idx` ON `library_reviews` (`listing_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `library_uses` (
	`id` text PRIMARY KEY NOT NULL,
	`resource_id` text NOT NULL,
	`version_id` text NOT NULL,
	`user_id` text NOT NULL,
	`school_id` text,
	`lesson_id` text,
	`published` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`resource_id`) REFERENCES `library_resources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`version_id`) REFERENCES `library_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `library_uses_resource_idx` ON `library_uses` (`resource_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `library_uses_school_idx` ON `library_uses` (`school_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `library_uses_lesson_idx` ON `library_uses` (`lesson_id`);--> statement-breakpoint
CREATE TABLE `library_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`resource_id` text NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`search_text` text DEFAULT '' NOT NULL,
	`body_json` text NOT NULL,
	`body_html` text NOT NULL,
	`kind` text NOT NULL,
	`stage` text NOT NULL,
	`grade` integer NOT NULL,
	`subject` text NOT NULL,
	`edition` text NOT NULL,
	`unit` text NOT NULL,
	`language` text NOT NULL,
	`licence` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`resource_id`) REFERENCES `library_resources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `library_versions_number_uq` ON `library_versions` (`resource_id`,`number`);--> statement-breakpoint
CREATE INDEX `library_versions_subject_idx` ON `library_versions` (`stage`,`subject`);