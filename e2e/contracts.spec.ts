import { expect, test } from './support/region-server';
import { signedInPage } from './fixtures';
import { ContractsPage, LicencesPage } from './pages/contracts-pages';

test('central IT: an over-assigned agreement is highlighted, a seat beyond a hard limit is refused with the reason; the archive flags the unpublished contract and its manager finds the reminders in their work', async ({
  browser,
  baseURL
}) => {
  const agent = await signedInPage(browser, baseURL!, 'helpdesk');
  const licences = new LicencesPage(agent.page);
  await licences.goto();
  await expect(licences.row(/Adobe Creative Cloud/)).toHaveClass(/over/, { timeout: 45_000 });
  await expect(licences.row(/Adobe Creative Cloud/).getByTestId('licence-over')).toHaveText('Překročeno o 1');
  await expect(licences.row(/ESET/)).toContainText(/za \d+ dní/);

  await licences.assign(/Bakaláři/, 'sps-ro', 'sps-ro');
  await expect(licences.verdict).toHaveText(
    /Nelze přidělit: všech 4 licencí Bakaláři \(školní informační systém\) je přiděleno a smlouva nedovoluje více/
  );
  await expect(licences.row(/Bakaláři/)).not.toHaveClass(/over/);

  const contracts = new ContractsPage(agent.page);
  await contracts.goto();
  await expect(agent.page.getByTestId('contract-row')).toHaveCount(12);
  await expect(contracts.row('GJVKT/31/2026').getByTestId('unpublished-flag')).toBeVisible();
  await agent.page.getByTestId('filter-unpublished').check();
  await expect(agent.page.getByTestId('contract-row')).toHaveCount(1);
  await agent.close();

  const director = await signedInPage(browser, baseURL!, 'reditel.gymkt', { viewport: { width: 390, height: 844 } });
  await director.page.goto('/inbox');
  const items = director.page.getByTestId('inbox-item');
  await expect(items.filter({ hasText: 'Servis a spotřební materiál tiskáren' })).toContainText(/smlouva končí/, {
    timeout: 45_000
  });
  await expect(items.filter({ hasText: 'Nákup 30 notebooků' })).toContainText(/zveřejnit v registru smluv/);
  await items.filter({ hasText: 'Nákup 30 notebooků' }).getByRole('link').click();
  await expect(director.page.getByTestId('publication-state')).toHaveText(/nezveřejněno, lhůta do/);

  // The director edits the contract: checked as typed, kept in its history.
  await director.page.getByTestId('contract-edit').click();
  const form = director.page.getByTestId('contract-form');
  await form.getByLabel('Předmět').fill('');
  await form.getByRole('button', { name: 'Uložit změny' }).click();
  await expect(form.getByRole('alert')).toContainText('Vyplňte předmět smlouvy.');
  await form.getByLabel('Předmět').fill('Nákup 30 notebooků pro učebnu informatiky');
  await form.getByRole('button', { name: 'Uložit změny' }).click();
  await expect(director.page.getByRole('heading', { level: 1 })).toContainText('pro učebnu informatiky');
  await expect(director.page.getByTestId('record-history')).toContainText('subject');
  await director.close();
});
