import sys

from keras_resnets.cli import main

sys.exit(main())
