ALTER TABLE `activation_codes` ADD `sealed_code` text;--> statement-breakpoint
ALTER TABLE `activation_codes` ADD `roster_import_id` text;--> statement-breakpoint
ALTER TABLE `guardian_link_codes` ADD `sealed_code` text;--> statement-breakpoint
ALTER TABLE `guardian_link_codes` ADD `roster_import_id` text;--> statement-breakpoint
ALTER TABLE `guardian_link_codes` ADD `guardian_contact_id` text;