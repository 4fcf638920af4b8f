import { h } from '../lib/dom';
import { mountPage, PAGE_TITLES } from '../shell/shell';

const DEMOS = [
  [
    'augment',
    'The SimCLR, BYOL and MoCo views of an image, with every sampled parameter shown and editable.',
  ],
  [
    'contrastive',
    'Train SimCLR, MoCo, BYOL, SimSiam, Barlow Twins or VICReg on Fashion-MNIST in the page: loss, a 2-D embedding, kNN accuracy, retrieval.',
  ],
  [
    'pretext',
    'Each pretext task on real images: rotations, jigsaw tiles, patch pairs, inpainting masks, denoising, Lab bins; and RotNet training live.',
  ],
  [
    'geometry',
    'A synthetic stereo scene: warp with ground truth or a live-trained disparity network, the photometric error, the masks; optical flow and its forward-backward occlusion check.',
  ],
  ['bench', 'Training steps per second on this backend.'],
] as const;

void mountPage(
  'index',
  'Live demos of self-supervised learning with genoise on TensorFlow.js: everything runs in this page, on the backend shown above.',
  async (shell) => {
    shell.main.append(
      h(
        'div',
        { class: 'cards' },
        ...DEMOS.map(([page, text]) => {
          const url = new URL(`${page}.html`, location.href);
          if (shell.options.backend !== 'auto') url.searchParams.set('backend', shell.options.backend);
          return h(
            'a',
            { class: 'panel card', href: url.toString() },
            h('h3', {}, PAGE_TITLES[page]),
            h('p', {}, text),
          );
        }),
      ),
    );
  },
);
