export const ROLE_CHOICES = [
  { id: "PROMOTER", name: "Promoter" },
  { id: "ADMIN", name: "Admin" },
  { id: "FAN", name: "Fan" },
];

/** Accounts an admin creates here: fans register on the storefront. */
export const STAFF_ROLE_CHOICES = ROLE_CHOICES.filter((choice) => choice.id !== "FAN");
