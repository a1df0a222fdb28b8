import { describe, it } from 'vitest';
import { FixTypeTester } from '../fix-type-tester.js';
import * as rules from './imaging-plotting-fix-types.js';

FixTypeTester.describe = describe;
FixTypeTester.it = it;

FixTypeTester.run('pillow-antialias', rules.pillowAntialias, {
  valid: ['from PIL import Image\nt = img.resize((1, 1), Image.LANCZOS)', 'import cv2\nt = cv2.resize(img, (1, 1), interpolation=cv2.INTER_AREA)', 'x = other.ANTIALIAS'],
  invalid: [
    {
      cells: 'from PIL import Image\nthumb = img.resize((128, 128), Image.ANTIALIAS)',
      failure: { error: "AttributeError: module 'PIL.Image' has no attribute 'ANTIALIAS'" },
      matches: [{ messageId: 'removed', data: { name: 'Image.ANTIALIAS', replacement: 'Image.LANCZOS' } }],
      output: 'from PIL import Image\nthumb = img.resize((128, 128), Image.LANCZOS)',
    },
    { cells: 'import PIL.Image\nt = img.resize((1, 1), PIL.Image.ANTIALIAS)', matches: [{ messageId: 'removed', data: { name: 'PIL.Image.ANTIALIAS', replacement: 'PIL.Image.LANCZOS' } }], output: 'import PIL.Image\nt = img.resize((1, 1), PIL.Image.LANCZOS)' },
  ],
});

FixTypeTester.run('matplotlib-seaborn-styles', rules.matplotlibSeabornStyles, {
  valid: ["import matplotlib.pyplot as plt\nplt.style.use('ggplot')", "import matplotlib.pyplot as plt\nplt.style.use('seaborn-v0_8-whitegrid')", "import seaborn as sns\nsns.set_style('whitegrid')"],
  invalid: [
    {
      cells: "import matplotlib.pyplot as plt\nplt.style.use('seaborn-whitegrid')\nwith plt.style.context(['seaborn', 'seaborn-talk']):\n    pass",
      failure: { error: "OSError: 'seaborn-whitegrid' is not a valid package style, path of style file, URL of style file, or library style name (library styles are listed in `style.available`)" },
      matches: [
        { messageId: 'renamed', data: { style: 'seaborn-whitegrid', replacement: 'seaborn-v0_8-whitegrid' } },
        { messageId: 'renamed', data: { style: 'seaborn', replacement: 'seaborn-v0_8' } },
        { messageId: 'renamed', data: { style: 'seaborn-talk', replacement: 'seaborn-v0_8-talk' } },
      ],
      output: "import matplotlib.pyplot as plt\nplt.style.use('seaborn-v0_8-whitegrid')\nwith plt.style.context(['seaborn-v0_8', 'seaborn-v0_8-talk']):\n    pass",
    },
    { name: 'matplotlib.style directly', cells: 'import matplotlib\nmatplotlib.style.use("seaborn-dark")', matches: [{ messageId: 'renamed' }], output: 'import matplotlib\nmatplotlib.style.use("seaborn-v0_8-dark")' },
    { name: 'declines before matplotlib 3.6', cells: "import matplotlib.pyplot as plt\nplt.style.use('seaborn')", failure: { environment: { pins: { matplotlib: '3.5.3' } } }, matches: [{ messageId: 'renamed' }], output: null },
  ],
});

FixTypeTester.run('seaborn-distplot', rules.seabornDistplot, {
  valid: ['import seaborn as sns\nsns.histplot(x)'],
  invalid: [{ cells: 'import seaborn as sns\nsns.distplot(train["SalePrice"])', matches: [{ messageId: 'guidance', data: { code: 'sns.distplot' } }] }],
});

FixTypeTester.run('scipy-misc-imread', rules.scipyImread, {
  valid: ['import imageio\nimg = imageio.imread(p)', 'from scipy.misc import derivative'],
  invalid: [
    {
      cells: 'from scipy.misc import imread, imsave\nimg = imread(path)\nimsave("out.png", img)',
      failure: { error: "ImportError: cannot import name 'imread' from 'scipy.misc' (/usr/lib/python3/dist-packages/scipy/misc/__init__.py)" },
      matches: [{ messageId: 'removed', data: { name: 'scipy.misc.imread, imsave', replacement: 'imageio.v2.imread, imwrite' } }],
      output: 'from imageio.v2 import imread, imwrite as imsave\nimg = imread(path)\nimsave("out.png", img)',
      safety: 'unsafe',
    },
    {
      name: 'module attribute call; mode= is reported only',
      cells: 'import scipy.misc\na = scipy.misc.imread(p)\nb = scipy.misc.imread(p, mode="L")',
      matches: [{ messageId: 'removed', line: 2 }, { messageId: 'mode', line: 3 }],
      output: 'import imageio.v2\nimport scipy.misc\na = imageio.v2.imread(p)\nb = scipy.misc.imread(p, mode="L")',
    },
  ],
});

FixTypeTester.run('scipy-misc-imresize', rules.scipyImresize, {
  valid: ['from skimage.transform import resize'],
  invalid: [{ cells: 'from scipy.misc import imresize\nsmall = imresize(img, (64, 64))', failure: { error: "ImportError: cannot import name 'imresize' from 'scipy.misc'" }, matches: [{ messageId: 'guidance', line: 1 }, { messageId: 'guidance', line: 2 }] }],
});
