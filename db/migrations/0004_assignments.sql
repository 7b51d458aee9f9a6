CREATE TABLE `assignment_classes` (
	`assignment_id` text NOT NULL,
	`class_id` text NOT NULL,
	PRIMARY KEY(`assignment_id`, `class_id`),
	FOREIGN KEY (`assignment_id`) REFERENCES `assignments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `assignment_classes_class_idx` ON `assignment_classes` (`class_id`);--> statement-breakpoint
CREATE TABLE `assignments` (
	`id` text PRIMARY KEY NOT NULL,
	`author_id` text NOT NULL,
	`school_id` text,
	`lesson_id` text,
	`title` text NOT NULL,
	`body_json` text NOT NULL,
	`body_html` text NOT NULL,
	`points` integer NOT NULL,
	`open_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`late_until` integer,
	`allow_resubmit` integer DEFAULT true NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`published_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "assignments_due_ck" CHECK("assignments"."due_at" > "assignments"."open_at"),
	CONSTRAINT "assignments_late_ck" CHECK("assignments"."late_until" is null or "assignments"."late_until" >= "assignments"."due_at"),
	CONSTRAINT "assignments_points_ck" CHECK("assignments"."points" between 0 and 1000)
);
--> statement-breakpoint
CREATE INDEX `assignments_author_idx` ON `assignments` (`author_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `submission_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`submission_id` text NOT NULL,
	`number` integer NOT NULL,
	`body_json` text NOT NULL,
	`body_html` text NOT NULL,
	`checksum` text NOT NULL,
	`late` integer DEFAULT false NOT NULL,
	`submitted_at` integer NOT NULL,
	FOREIGN KEY (`submission_id`) REFERENCES `submissions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `submission_versions_number_uq` ON `submission_versions` (`submission_id`,`number`);--> statement-breakpoint
CREATE TABLE `submissions` (
	`id` text PRIMARY KEY NOT NULL,
	`assignment_id` text NOT NULL,
	`student_id` text NOT NULL,
	`class_id` text,
	`version_count` integer DEFAULT 0 NOT NULL,
	`last_submitted_at` integer,
	`late` integer DEFAULT false NOT NULL,
	`score` real,
	`feedback` text,
	`grade_state` text DEFAULT 'none' NOT NULL,
	`grade_version` integer DEFAULT 0 NOT NULL,
	`graded_by` text,
	`graded_at` integer,
	`returned_at` integer,
	`portfolio_item_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`assignment_id`) REFERENCES `assignments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`graded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `submissions_assignment_student_uq` ON `submissions` (`assignment_id`,`student_id`);--> statement-breakpoint
CREATE INDEX `submissions_student_idx` ON `submissions` (`student_id`);