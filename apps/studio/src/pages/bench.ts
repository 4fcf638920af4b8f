import { mountPage } from '../shell/shell';

void mountPage('bench', 'Coming next.', async () => {});
