/** Words for the password policy's refusals (login with a one-time code, own password, admin). */
import type { PasswordProblem } from '$lib/domain/admin/password-policy';
import { m } from '$lib/i18n';

export function passwordProblemText(code: PasswordProblem | string): string {
  switch (code) {
    case 'too_short':
      return m.password_problem_too_short();
    case 'too_long':
      return m.password_problem_too_long();
    case 'common':
      return m.password_problem_common();
    case 'contains_username':
      return m.password_problem_username();
    case 'repetitive':
      return m.password_problem_repetitive();
    default:
      return code;
  }
}
