import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { redirectWithFlash } from "~/lib/flash.server";
import { signInWithRecoveryCode } from "~/models/auth/two-factor.server";
import { CodeStepPage } from "../sign-in.two-factor/code-step";
import { secondStepAction, secondStepLoader } from "../sign-in.two-factor/replies.server";
import { RecoveryCodeSchema } from "./schema";

export const meta: MetaFunction = () => [{ title: "Enter a recovery code – Panel" }];

/** Second step of sign-in for someone without their phone. */
export async function loader({ request }: LoaderFunctionArgs) {
  return secondStepLoader(request);
}

export async function action({ request }: ActionFunctionArgs) {
  return secondStepAction(
    request,
    RecoveryCodeSchema,
    (user, code) => signInWithRecoveryCode({ actor: user.actor, userId: user.id, sessionId: user.sessionId, code }),
    (to, result) => redirectWithFlash(to, { key: "auth:recoveryCode.used", values: { count: result.remaining ?? 0 }, kind: "info" }),
    "auth:errors.recoveryCodeIncorrect",
  );
}

export default function RecoveryCodeSignIn() {
  const actionData = useActionData<typeof action>();
  return (
    <CodeStepPage
      formId="recovery-code"
      schema={RecoveryCodeSchema}
      lastResult={actionData && "result" in actionData ? actionData.result : undefined}
      strings="recoveryCode"
      input={{ width: "10", autoComplete: "off" }}
      otherStep={{ path: "/sign-in/two-factor", labelKey: "recoveryCode.useApp" }}
    />
  );
}
