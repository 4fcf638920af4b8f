import { mountPage } from '../shell/shell';

void mountPage('geometry', 'Coming next.', async () => {});
