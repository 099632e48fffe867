-- AlterTable
ALTER TABLE "seats" ADD COLUMN     "restricted_view" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "sections" ADD COLUMN     "layout" JSONB;
