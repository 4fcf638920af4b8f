import { mountPage } from '../shell/shell';

void mountPage('contrastive', 'Coming next.', async () => {});
