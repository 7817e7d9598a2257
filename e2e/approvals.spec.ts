import { expect, test } from './support/region-server';
import { signedInPage, unique } from './fixtures';
import { ApprovalDetailPage, ApprovalsPage } from './pages/approvals-page';

/** A one-page PDF, enough for the media store and a browser to open. */
function samplePdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
  );
}

test('an invoice registered with a scan is approved offline on a tablet, then by the chief accountant; the sheet shows both steps', async ({
  browser,
  baseURL
}) => {
  const clerk = await signedInPage(browser, baseURL!, 'referent.gymkt');
  const number = unique('FV-E2E');
  await new ApprovalsPage(clerk.page).registerInvoice({
    number,
    supplier: 'Alza.cz a.s.',
    ico: '27082440',
    amount: '12 345,50',
    subject: 'Monitory do učebny',
    scan: { name: 'faktura.pdf', mimeType: 'application/pdf', buffer: samplePdf() }
  });
  const clerkDetail = new ApprovalDetailPage(clerk.page);
  await expect(clerkDetail.state).toHaveText(/Čeká na: Příkazce operace/);
  await clerk.frame.waitForSynced();

  const director = await signedInPage(browser, baseURL!, 'reditel.gymkt');
  await director.page.setViewportSize({ width: 820, height: 1180 });
  const list = new ApprovalsPage(director.page);
  await list.goto();
  await expect(list.row(number)).toBeVisible({ timeout: 45_000 });
  // Opened once online, the scan stays on the tablet.
  await list.row(number).getByRole('link').click();
  await expect(director.page.getByTestId('scan-link')).toBeVisible({ timeout: 45_000 });
  await director.page.goBack();
  await director.page.context().setOffline(true);
  await expect(director.frame.syncStatus).toHaveText(/Bez připojení/);
  await director.page.reload();
  await list.row(number).getByRole('link').click();
  const detail = new ApprovalDetailPage(director.page);
  await expect(director.page.getByTestId('scan-link')).toBeVisible();
  await detail.approve('V pořádku.');
  await expect(detail.state).toHaveText(/Čeká na: Hlavní účetní/);
  await expect(detail.steps).toContainText(/zatím neodesláno/);
  await director.page.context().setOffline(false);
  await expect(detail.steps).not.toContainText(/zatím neodesláno/, { timeout: 45_000 });
  await director.frame.waitForSynced();

  const accountant = await signedInPage(browser, baseURL!, 'ucetni.gymkt');
  const mine = new ApprovalsPage(accountant.page);
  await mine.goto();
  await expect(mine.row(number)).toBeVisible({ timeout: 45_000 });
  await mine.row(number).getByRole('link').click();
  const last = new ApprovalDetailPage(accountant.page);
  await last.approve();
  await expect(last.state).toHaveText(/Schváleno/);
  const sheet = await last.openSheet();
  const steps = sheet.getByTestId('sheet-step');
  await expect(steps).toHaveCount(2);
  await expect(steps.nth(0)).toContainText(/Příkazce operace.*Mgr\. Karel Šíma.*Schváleno/s);
  await expect(steps.nth(1)).toContainText(/Hlavní účetní.*Ing\. Marie Králová.*Schváleno/s);
  await expect(sheet).toContainText(number);

  await Promise.all([clerk.close(), director.close(), accountant.close()]);
});

test('two offline decisions on one step: the first to reach the server wins, the other is refused with who and when, and kept', async ({
  browser,
  baseURL
}) => {
  const director = await signedInPage(browser, baseURL!, 'reditel.gymkt');
  const deputy = await signedInPage(browser, baseURL!, 'zastupce.gymkt');
  const doc = 'apv-gym-kt-fv-2026-0412';
  const a = new ApprovalDetailPage(director.page);
  const b = new ApprovalDetailPage(deputy.page);
  await a.goto(doc);
  await b.goto(doc);
  await director.page.context().setOffline(true);
  await deputy.page.context().setOffline(true);
  await a.approve();
  await b.reject('Nesouhlasím s částkou.');
  await expect(a.state).toHaveText(/Čeká na: Hlavní účetní/);
  await expect(b.state).toHaveText(/Zamítnuto/);
  await expect(a.steps).toContainText(/zatím neodesláno/);

  await director.page.context().setOffline(false);
  await expect(a.steps).not.toContainText(/zatím neodesláno/, { timeout: 45_000 });
  await director.frame.waitForSynced();
  await deputy.page.context().setOffline(false);
  await expect(b.refused).toContainText(/already decided by reditel\.gymkt/, { timeout: 45_000 });
  await expect(b.state).toHaveText(/Čeká na: Hlavní účetní/, { timeout: 45_000 });
  await expect(b.steps).toContainText(/Mgr\. Karel Šíma/);
  await expect(deputy.page.locator('.history .ignored')).toContainText(/Zamítl\(a\) Mgr\. Hana Vlková/);

  await Promise.all([director.close(), deputy.close()]);
});

test('two large scans registered offline both reach the server once the network is back', async ({
  browser,
  baseURL
}) => {
  const clerk = await signedInPage(browser, baseURL!, 'referent.gymkt');
  // Two scans of 6 MB: together more than the server takes in one request (14 MB).
  const large = (name: string) => ({
    name,
    mimeType: 'application/pdf',
    buffer: Buffer.from(samplePdf().toString('latin1') + ' '.repeat(6 * 1024 * 1024), 'latin1')
  });
  await clerk.page.context().setOffline(true);
  const numbers = [unique('FV-VELKA'), unique('FV-VELKA')];
  for (const number of numbers)
    await new ApprovalsPage(clerk.page).registerInvoice({
      number,
      supplier: 'Alza.cz a.s.',
      ico: '27082440',
      amount: '99 000',
      scan: large(`${number}.pdf`)
    });
  await clerk.page.context().setOffline(false);
  await clerk.frame.waitForSynced();

  const director = await signedInPage(browser, baseURL!, 'reditel.gymkt');
  const list = new ApprovalsPage(director.page);
  for (const number of numbers) {
    await list.goto();
    await expect(list.row(number)).toBeVisible({ timeout: 45_000 });
    await list.row(number).getByRole('link').click();
    await expect(director.page.getByTestId('scan-link')).toBeVisible({ timeout: 60_000 });
  }
  await clerk.close();
  await director.close();
});
