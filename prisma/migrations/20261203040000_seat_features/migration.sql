-- Seat features the seat map shows and filters on: companion seats (beside a wheelchair space) and aisle
-- seats, next to the existing accessible and restricted_view flags. Both default to false: venues laid
-- out before this keep working; the seat-map builder sets them when it generates seats.
-- AlterTable
ALTER TABLE "seats" ADD COLUMN     "aisle" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "companion" BOOLEAN NOT NULL DEFAULT false;
