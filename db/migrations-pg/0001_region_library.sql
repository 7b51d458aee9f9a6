CREATE TABLE "library_comments" (
	"id" text PRIMARY KEY NOT NULL,
	"resource_id" text NOT NULL,
	"author_id" text NOT NULL,
	"body" text NOT NULL,
	"created_at" bigint DEFAULT ((extract(epoch from now()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "library_listings" (
	"id" text PRIMARY KEY NOT NULL,
	"resource_id" text NOT NULL,
	"region_id" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"version_id" text NOT NULL,
	"admitted_version_id" text,
	"admitted_at" bigint,
	"quality" boolean DEFAULT false NOT NULL,
	"recommended_from" text,
	"round" bigint DEFAULT 1 NOT NULL,
	"decided_by" text,
	"decided_at" bigint,
	"created_at" bigint DEFAULT ((extract(epoch from now()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "library_ratings" (
	"resource_id" text NOT NULL,
	"user_id" text NOT NULL,
	"stars" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "library_ratings_resource_id_user_id_pk" PRIMARY KEY("resource_id","user_id"),
	CONSTRAINT "library_ratings_stars_ck" CHECK ("library_ratings"."stars" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "library_resources" (
	"id" text PRIMARY KEY NOT NULL,
	"author_id" text NOT NULL,
	"school_id" text,
	"source_lesson_id" text,
	"latest_version_id" text,
	"withdrawn_at" bigint,
	"withdrawn_by" text,
	"created_at" bigint DEFAULT ((extract(epoch from now()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "library_reviewers" (
	"user_id" text NOT NULL,
	"region_id" text NOT NULL,
	"granted_by" text NOT NULL,
	"created_at" bigint DEFAULT ((extract(epoch from now()) * 1000)::bigint) NOT NULL,
	CONSTRAINT "library_reviewers_user_id_region_id_pk" PRIMARY KEY("user_id","region_id")
);
--> statement-breakpoint
CREATE TABLE "library_reviews" (
	"id" text PRIMARY KEY NOT NULL,
	"listing_id" text NOT NULL,
	"version_id" text NOT NULL,
	"reviewer_id" text NOT NULL,
	"decision" text NOT NULL,
	"checklist" jsonb DEFAULT '[]' NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" bigint DEFAULT ((extract(epoch from now()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "library_uses" (
	"id" text PRIMARY KEY NOT NULL,
	"resource_id" text NOT NULL,
	"version_id" text NOT NULL,
	"user_id" text NOT NULL,
	"school_id" text,
	"lesson_id" text,
	"published" boolean DEFAULT false NOT NULL,
	"created_at" bigint DEFAULT ((extract(epoch from now()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "library_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"resource_id" text NOT NULL,
	"number" bigint NOT NULL,
	"title" text NOT NULL,
	"search_text" text DEFAULT '' NOT NULL,
	"body_json" jsonb NOT NULL,
	"body_html" text NOT NULL,
	"kind" text NOT NULL,
	"stage" text NOT NULL,
	"grade" bigint NOT NULL,
	"subject" text NOT NULL,
	"edition" text NOT NULL,
	"unit" text NOT NULL,
	"language" text NOT NULL,
	"licence" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" bigint DEFAULT ((extract(epoch from now()) * 1000)::bigint) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "library_comments" ADD CONSTRAINT "library_comments_resource_id_library_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."library_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_comments" ADD CONSTRAINT "library_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_listings" ADD CONSTRAINT "library_listings_resource_id_library_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."library_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_listings" ADD CONSTRAINT "library_listings_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_listings" ADD CONSTRAINT "library_listings_version_id_library_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."library_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_listings" ADD CONSTRAINT "library_listings_admitted_version_id_library_versions_id_fk" FOREIGN KEY ("admitted_version_id") REFERENCES "public"."library_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_listings" ADD CONSTRAINT "library_listings_recommended_from_regions_id_fk" FOREIGN KEY ("recommended_from") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_listings" ADD CONSTRAINT "library_listings_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_ratings" ADD CONSTRAINT "library_ratings_resource_id_library_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."library_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_ratings" ADD CONSTRAINT "library_ratings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_resources" ADD CONSTRAINT "library_resources_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_resources" ADD CONSTRAINT "library_resources_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_resources" ADD CONSTRAINT "library_resources_source_lesson_id_lessons_id_fk" FOREIGN KEY ("source_lesson_id") REFERENCES "public"."lessons"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_resources" ADD CONSTRAINT "library_resources_withdrawn_by_users_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_reviewers" ADD CONSTRAINT "library_reviewers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_reviewers" ADD CONSTRAINT "library_reviewers_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_reviewers" ADD CONSTRAINT "library_reviewers_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_reviews" ADD CONSTRAINT "library_reviews_listing_id_library_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."library_listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_reviews" ADD CONSTRAINT "library_reviews_version_id_library_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."library_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_reviews" ADD CONSTRAINT "library_reviews_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_uses" ADD CONSTRAINT "library_uses_resource_id_library_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."library_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_uses" ADD CONSTRAINT "library_uses_version_id_library_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."library_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_uses" ADD CONSTRAINT "library_uses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_uses" ADD CONSTRAINT "library_uses_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_uses" ADD CONSTRAINT "library_uses_lesson_id_lessons_id_fk" FOREIGN KEY ("lesson_id") REFERENCES "public"."lessons"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_versions" ADD CONSTRAINT "library_versions_resource_id_library_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."library_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "library_comments_resource_idx" ON "library_comments" USING btree ("resource_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "library_listings_region_uq" ON "library_listings" USING btree ("resource_id","region_id");--> statement-breakpoint
CREATE INDEX "library_listings_queue_idx" ON "library_listings" USING btree ("region_id","state");--> statement-breakpoint
CREATE INDEX "library_resources_author_idx" ON "library_resources" USING btree ("author_id","created_at");--> statement-breakpoint
CREATE INDEX "library_reviewers_region_idx" ON "library_reviewers" USING btree ("region_id");--> statement-breakpoint
CREATE INDEX "library_reviews_listing_idx" ON "library_reviews" USING btree ("listing_id","created_at");--> statement-breakpoint
CREATE INDEX "library_uses_resource_idx" ON "library_uses" USING btree ("resource_id","created_at");--> statement-breakpoint
CREATE INDEX "library_uses_school_idx" ON "library_uses" USING btree ("school_id","created_at");--> statement-breakpoint
CREATE INDEX "library_uses_lesson_idx" ON "library_uses" USING btree ("lesson_id");--> statement-breakpoint
CREATE UNIQUE INDEX "library_versions_number_uq" ON "library_versions" USING btree ("resource_id","number");--> statement-breakpoint
CREATE INDEX "library_versions_subject_idx" ON "library_versions" USING btree ("stage","subject");--> statement-breakpoint
CREATE INDEX "library_versions_search_trgm_idx" ON "library_versions" USING gin ("search_text" gin_trgm_ops);