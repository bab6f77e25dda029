"""A fresh user's first start: the settings file, the data folder and the log folder are made
before anything else, so the user (or whoever installs the station) finds where they are.

The settings file starts with every setting commented out, so it behaves exactly like no file:
the local database, the computer's name as the station's, the system's language.
"""

from __future__ import annotations

import logging

from app.config import Paths

log = logging.getLogger(__name__)

SETTINGS_TEMPLATE = """\
# Packdesk settings of this station. Remove the "#" in front of a line to use it, then start
# Packdesk again. Which settings exist: the README, "Running a real station".
# 本工作站的 Packdesk 设置。删除行首的 "#" 即启用该行，然后重新启动 Packdesk。

# the shared PostgreSQL database of all stations; without it, a local file in the data folder
# 所有工作站共用的 PostgreSQL 数据库；不设置则使用数据文件夹中的本地文件
# db_url = "postgresql+psycopg://packdesk:secret@db-server/packdesk"

# this PC's name in the audit log and device settings (default: the computer's name)
# 本机在审计日志和设备设置中的名称（默认：计算机名）
# station = "pack-01"

# "zh_CN" or "en" (default: the system's language)
# 界面语言："zh_CN" 或 "en"（默认：系统语言）
# language = "zh_CN"
"""


def prepare_first_start(paths: Paths) -> bool:
    """Make the config, data and log folders and a commented settings file where none are.
    True if the settings file was written now (a first start). A folder that cannot be made
    is left to the step that needs it, which says so."""
    try:
        for folder in (paths.config_dir, paths.data_dir, paths.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
        if paths.config_file.exists():
            return False
        with paths.config_file.open("x", encoding="utf-8") as f:
            f.write(SETTINGS_TEMPLATE)
    except FileExistsError:  # another Packdesk started at the same moment
        return False
    except OSError as exc:
        log.warning("first start: could not prepare %s: %s", paths.config_dir, exc)
        return False
    log.info("first start: settings file %s written", paths.config_file)
    return True
