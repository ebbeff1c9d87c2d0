# No Vitis flow for this build: ${boardTitle}

Board `${board.name}`, part `${board.part}`. ${reason}
