import { withConfirmation } from "../account.password/schema";

export const ResetPasswordSchema = withConfirmation({});
