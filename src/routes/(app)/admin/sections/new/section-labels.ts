/** The section form's problems in the person's language (codes from `section-input.ts`). */
import type { SectionProblem } from '$lib/domain/admin/section-input';
import { m } from '$lib/i18n';

export function sectionProblemText(p: SectionProblem): string {
  const vertex = p.vertex ?? 0;
  switch (p.code) {
    case 'required':
      return m.admin_problem_required();
    case 'pattern':
      return m.admin_section_problem_id_pattern();
    case 'too_long':
      return m.admin_problem_too_long();
    case 'taken':
      return m.admin_section_problem_taken();
    case 'state_road':
      return m.admin_section_problem_state_road();
    case 'unknown_value':
      return m.admin_problem_unknown_value();
    case 'road_number':
      return m.admin_section_problem_road_number();
    case 'too_few_points':
      return m.admin_section_problem_too_few();
    case 'too_many_points':
      return m.admin_section_problem_too_many();
    case 'bad_point':
      return m.admin_section_problem_bad_point({ vertex });
    case 'outside_region':
      return m.admin_section_problem_outside_region({ vertex });
    case 'outside_district':
      return m.admin_section_problem_outside_district();
  }
}
