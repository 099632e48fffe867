-- AlterTable
ALTER TABLE "venues" ADD COLUMN     "layout_version" INTEGER NOT NULL DEFAULT 0;
