import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { verifyTwoFactorSignIn } from "~/models/auth/two-factor.server";
import { CodeStepPage } from "./code-step";
import { secondStepAction, secondStepLoader } from "./replies.server";
import { TwoFactorCodeSchema } from "./schema";

export const meta: MetaFunction = () => [{ title: "Enter your security code – Panel" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return secondStepLoader(request);
}

export async function action({ request }: ActionFunctionArgs) {
  return secondStepAction(
    request,
    TwoFactorCodeSchema,
    (user, code) => verifyTwoFactorSignIn({ actor: user.actor, userId: user.id, sessionId: user.sessionId, code }),
    (to) => redirect(to),
  );
}

export default function TwoFactorSignIn() {
  const actionData = useActionData<typeof action>();
  return (
    <CodeStepPage
      formId="two-factor"
      schema={TwoFactorCodeSchema}
      lastResult={actionData && "result" in actionData ? actionData.result : undefined}
      strings="twoFactor"
      input={{ width: "5", autoComplete: "one-time-code", inputMode: "numeric" }}
      otherStep={{ path: "/sign-in/recovery-code", labelKey: "twoFactor.useRecoveryCode" }}
    />
  );
}
