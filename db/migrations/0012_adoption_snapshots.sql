CREATE TABLE `adoption_snapshots` (
	`key` text PRIMARY KEY NOT NULL,
	`data` text NOT NULL,
	`computed_at` integer NOT NULL,
	`compute_ms` integer NOT NULL,
	`read_at` integer NOT NULL
);
